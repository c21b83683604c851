return {
  Para = function(el)
    vaksam.warn("ett stycke utan rubrik i " .. vaksam.context.org.id .. " under " .. tostring(vaksam.context.org.parent))
  end,
}
