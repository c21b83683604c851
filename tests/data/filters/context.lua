-- Writes what a filter can read: meta, organisation, role, format, document.
return {
  Doc = function(doc)
    local c = vaksam.context
    local line = table.concat({ meta.title, c.org.id, c.org.vars.incident_system, c.role.id, c.format,
      c.document.kind, pandoc.utils.stringify(doc.blocks[1]) }, "|")
    table.insert(doc.blocks, vaksam.Para({ vaksam.Str(line) }))
    return doc
  end,
}
