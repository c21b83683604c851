-- bygg-och-miljonamnden.lua — inspectors work out of the office most days.
-- After every heading that starts with "Under" (during a visit or a meeting)
-- a reminder to go two by two is added.
local function starts_with_under(header)
  return vaksam.utils.stringify(header):match("^Under") ~= nil
end

return {
  Blocks = function(blocks)
    local out = {}
    for _, b in ipairs(blocks) do
      out[#out + 1] = b
      if b.t == "Header" and starts_with_under(b) then
        out[#out + 1] = vaksam.Div({ vaksam.Para({ vaksam.Str("Tillsyn: gå två och två och meddela telefonjouren när ni är klara.") }) },
          vaksam.Attr("", { "tips" }))
      end
    end
    return out
  end,
}
