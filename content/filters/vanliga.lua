-- vanliga.lua — shared helpers for the role filters (require("vanliga")).
local M = {}

-- True when the element's attributes carry the class.
function M.has_class(el, class)
  for _, c in ipairs(el.attr.classes) do
    if c == class then
      return true
    end
  end
  return false
end

-- A Div filter that removes facilitator notes: they are for the person
-- leading the meeting, and a note written without roles="chef" must still
-- not reach anyone else.
function M.drop_facilitator_notes(div)
  if M.has_class(div, "handledning") then
    return {}
  end
  return nil
end

return M
