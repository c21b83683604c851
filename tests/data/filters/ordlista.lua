-- ordlista.lua — replaces the built-in glossary (site.yaml:
-- `builtins: {glossary: ordlista.lua}`): links every mention of a term in
-- running text, not only the first (class glossary-term and attribute
-- definition: the HTML writer shows the summary as a tooltip, as for the
-- built-in).
-- Headings, links and code are left alone because only the Str elements
-- directly inside a paragraph are looked at.
local words = {}
for _, g in ipairs(vaksam.glossary) do
  words[#words + 1] = { text = g.term, g = g }
  for _, s in ipairs(g.synonyms) do
    words[#words + 1] = { text = s, g = g }
  end
end
-- longest first, so "hotfull situation" wins over "hot"; ties by text
table.sort(words, function(a, b)
  if #a.text ~= #b.text then return #a.text > #b.text end
  return a.text < b.text
end)

local function is_word_byte(c)
  return c ~= "" and c:match("[%w\128-\255]") ~= nil
end

-- The earliest whole-word mention in `text`: start, end and the entry.
local function first_mention(text)
  local best_s, best_e, best
  local lower = text:lower()
  for _, w in ipairs(words) do
    local s, e = lower:find(w.text:lower(), 1, true)
    while s and (is_word_byte(lower:sub(s - 1, s - 1)) or is_word_byte(lower:sub(e + 1, e + 1))) do
      s, e = lower:find(w.text:lower(), e + 1, true)
    end
    if s and (not best_s or s < best_s) then
      best_s, best_e, best = s, e, w
    end
  end
  return best_s, best_e, best
end

local function link_all(text, out)
  while true do
    local s, e, w = first_mention(text)
    if not s then break end
    if s > 1 then out[#out + 1] = vaksam.Str(text:sub(1, s - 1)) end
    out[#out + 1] = vaksam.Link(text:sub(s, e), vaksam.link_to(w.g.path), "",
      vaksam.Attr("", { "glossary-term" }, { definition = w.g.summary }))
    text = text:sub(e + 1)
  end
  if text ~= "" then out[#out + 1] = vaksam.Str(text) end
end

return {
  Para = function(p)
    local out = {}
    for _, x in ipairs(p.content) do
      if x.t == "Str" then link_all(x.text, out) else out[#out + 1] = x end
    end
    p.content = out
    return p
  end,
}
