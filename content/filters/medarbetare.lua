-- medarbetare.lua — staff. Facilitator notes are for the person leading the
-- meeting; a note without roles="chef" must still not reach staff.
return {
  Div = function(div)
    for _, c in ipairs(div.attr.classes) do
      if c == "handledning" then
        return {}
      end
    end
    return nil
  end,
}
