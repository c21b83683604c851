-- variabler.lua — replaces the built-in variables step (site.yaml:
-- `builtins: {variables: variabler.lua}`): {{name}} becomes the
-- organisation's value in bold; an unknown name becomes "[name saknas]".
local vars = vaksam.context.org.vars
local function fill(text, out)
  local pos = 1
  for s, name, e in text:gmatch("(){{%s*([%w_]+)%s*}}()") do
    if s > pos then out[#out + 1] = vaksam.Str(text:sub(pos, s - 1)) end
    out[#out + 1] = vaksam.Strong(vars[name] or ("[" .. name .. " saknas]"))
    pos = e
  end
  if pos <= #text then out[#out + 1] = vaksam.Str(text:sub(pos)) end
end
return {
  Str = function(s)
    if not s.text:find("{{", 1, true) then return nil end
    local out = {}
    fill(s.text, out)
    return out
  end,
}
