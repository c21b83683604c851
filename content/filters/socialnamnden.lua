-- socialnamnden.lua — social services (and family law under it).
-- Routines end with the after-hours contact that social services have and
-- the rest of the municipality does not.
return {
  Doc = function(doc)
    if vaksam.context.document.kind ~= "routine" then
      return nil
    end
    local phone = vaksam.context.org.vars.security_phone
    table.insert(doc.blocks, vaksam.Div({
      vaksam.Para({ vaksam.Str("Efter kontorstid når du socialjouren. Förvaltningens säkerhetsfunktion: " .. phone .. ".") }),
    }, vaksam.Attr("", { "tips" })))
    return doc
  end,
}
