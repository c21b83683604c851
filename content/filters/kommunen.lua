-- kommunen.lua — Exempelkommun and every committee under it.
-- The first mention of the incident system's name (KIA, Agera …) links to the
-- security pages on the intranet, where the login and help are.
local vars = vaksam.context.org.vars
local name, url = vars.incident_system, vars.intranet_security_url
local linked = false

return {
  Str = function(el)
    if linked or not name or not url then
      return nil
    end
    local s, e = el.text:find(name, 1, true)
    if not s then
      return nil
    end
    linked = true
    local out = {}
    if s > 1 then out[#out + 1] = vaksam.Str(el.text:sub(1, s - 1)) end
    out[#out + 1] = vaksam.Link({ vaksam.Str(name) }, url, "Så loggar du in i " .. name)
    if e < #el.text then out[#out + 1] = vaksam.Str(el.text:sub(e + 1)) end
    return out
  end,
  Doc = function(doc)
    linked = false -- one link per document
    return nil
  end,
}
