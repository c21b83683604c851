-- fortroendevald.lua — elected officials. No facilitator notes, and every
-- routine written for staff says so at the top: officials read it to know
-- how the administration works, not as an instruction to themselves.
local function drop_notes(div)
  for _, c in ipairs(div.attr.classes) do
    if c == "handledning" then
      return {}
    end
  end
  return nil
end

return {
  Div = drop_notes,
  Doc = function(doc)
    if vaksam.context.document.kind == "routine" and not meta.roles then
      table.insert(doc.blocks, 1, vaksam.Para({ vaksam.Emph(
        "Rutinen är skriven för anställda. Som förtroendevald ser du här hur förvaltningen arbetar.") }))
      return doc
    end
    return nil
  end,
}
