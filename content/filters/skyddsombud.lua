-- skyddsombud.lua — safety representatives. No facilitator notes; routines
-- end with the representative's right to ask for action.
local vanliga = require("vanliga")

return {
  { Div = vanliga.drop_facilitator_notes },
  {
    Doc = function(doc)
      if vaksam.context.document.kind == "routine" then
        table.insert(doc.blocks, vaksam.Para({ vaksam.Strong("Skyddsombud:"),
          vaksam.Str(" om rutinen inte följs eller inte räcker, begär åtgärder enligt arbetsmiljölagen 6 kap. 6 a §.") }))
        return doc
      end
      return nil
    end,
  },
}
