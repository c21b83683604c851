-- A memory bomb: the allocation cap must stop it (in large blocks, so that
-- even under ASan on a busy machine the cap comes long before the CPU bound).
return {
  Para = function(el)
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 10000) .. i end
  end,
}
