return {
  Para = function(el)
    return el.nothing.here -- line 3: index a nil value
  end,
}
