-- chef.lua — managers. Text written only for managers (roles="chef")
-- is marked as the manager's steps, so it stands out on the page.
local vanliga = require("vanliga")

return {
  Div = function(div)
    if div.attr.attributes.roles == "chef" then
      if not vanliga.has_class(div, "handledning") then
        table.insert(div.attr.classes, "chefens-steg")
        return div
      end
    end
    return nil
  end,
}
