-- Reports which dangerous functions exist and whether reading works.
return {
  Doc = function(doc)
    local r = {}
    r[#r + 1] = "execute=" .. tostring(os.execute)
    r[#r + 1] = "popen=" .. tostring(io.popen)
    r[#r + 1] = "require_escape=" .. tostring(pcall(require, "../../etc/passwd"))
    r[#r + 1] = "require_ok=" .. tostring(require("modul").value)
    r[#r + 1] = "bytecode=" .. tostring(load(string.dump(function() end)))
    r[#r + 1] = "debug=" .. tostring(debug)
    local f, err = io.open("/etc/passwd")
    r[#r + 1] = "passwd=" .. tostring(f)
    local ok = pcall(vaksam.read_file, "../../../etc/passwd")
    r[#r + 1] = "escape=" .. tostring(ok)
    local inside = vaksam.read_file("site.yaml")
    r[#r + 1] = "inside=" .. tostring(inside:find("title", 1, true) ~= nil)
    table.insert(doc.blocks, vaksam.Para({ vaksam.Str(table.concat(r, " ")) }))
    return doc
  end,
}
