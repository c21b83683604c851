-- fortroendevald.lua — elected officials. No facilitator notes, and every
-- routine written for staff says so at the top: officials read it to know
-- how the administration works, not as an instruction to themselves.
local vanliga = require("vanliga")

return {
  Div = vanliga.drop_facilitator_notes,
  Doc = function(doc)
    if vaksam.context.document.kind == "routine" and not meta.roles then
      table.insert(doc.blocks, 1, vaksam.Para({ vaksam.Emph(
        "Rutinen är skriven för anställda. Som förtroendevald ser du här hur förvaltningen arbetar.") }))
      return doc
    end
    return nil
  end,
}
