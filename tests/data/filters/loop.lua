-- An endless loop: the instruction bound must stop it.
return {
  Para = function(el)
    local n = 0
    while true do n = n + 1 end
  end,
}
