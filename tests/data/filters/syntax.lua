-- A syntax error on line 3.
return {
  Para = function(el) return el end end,
}
