-- skyddsombud.lua — safety representatives. No facilitator notes; routines
-- end with the representative's right to ask for action.
return {
  {
    Div = function(div)
      for _, c in ipairs(div.attr.classes) do
        if c == "handledning" then
          return {}
        end
      end
      return nil
    end,
  },
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
