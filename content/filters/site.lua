-- site.lua — runs first for every organisation and role.
-- Puts a short emergency box at the top of every routine in force, so the
-- most important instruction is never more than one glance away.
return {
  Doc = function(doc)
    local ctx = vaksam.context.document
    if ctx.kind ~= "routine" or meta.status == "retired" then
      return nil
    end
    local box = vaksam.Div({ vaksam.Para({ vaksam.Strong("Akut fara? Ring 112."),
      vaksam.Str(" Gå sedan till en säker plats och larma dina kollegor.") }) },
      vaksam.Attr("", { "viktigt" }))
    table.insert(doc.blocks, 1, box)
    return doc
  end,
}
