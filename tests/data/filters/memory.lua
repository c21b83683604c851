-- A memory bomb: the allocation cap must stop it.
return {
  Para = function(el)
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
  end,
}
