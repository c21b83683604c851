-- Upper-cases every Str; deletes Code; turns each Header into two paragraphs.
return {
  Str = function(el) return vaksam.Str(el.text:upper()) end,
  Code = function(el) return {} end,
  Header = function(h)
    return { vaksam.Para({ vaksam.Str("A") }), vaksam.Para(h.content) }
  end,
}
