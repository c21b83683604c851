-- Records the order functions are called in, into the document's end.
local seen = {}
return {
  Str = function(el) seen[#seen + 1] = "Str:" .. el.text end,
  Emph = function(el) seen[#seen + 1] = "Emph" end,
  Para = function(el) seen[#seen + 1] = "Para" end,
  Doc = function(doc)
    table.insert(doc.blocks, vaksam.Para({ vaksam.Str(table.concat(seen, ",")) }))
    seen = {}
    return doc
  end,
}
