-- chef.lua — managers. Text written only for managers (roles="chef")
-- is marked as the manager's steps, so it stands out on the page.
return {
  Div = function(div)
    if div.attr.attributes.roles == "chef" then
      local is_note = false
      for _, c in ipairs(div.attr.classes) do
        if c == "handledning" then is_note = true end
      end
      if not is_note then
        table.insert(div.attr.classes, "chefens-steg")
        return div
      end
    end
    return nil
  end,
}
