#!/usr/bin/env bash
# The pandoc-like filter API (issue 17): pandoc.List methods on block and
# inline lists (1-based, insert at a position, find giving value and index,
# filter/map giving Lists), element:walk / list:walk / doc:walk,
# vaksam.utils.stringify of inlines, blocks and the document, traverse =
# "topdown" (parents first, `false` skips the children), and the sandbox
# still refusing io/os/require. The Lua side prints "T ok NAME" or
# "T FAIL NAME (detail)"; each NAME is one check here.
. "$(dirname "$0")/../lib.sh"

# expect_t NAME… — the filter reported each NAME as ok (and none failed).
expect_t() {
  for n in "$@"; do
    if grep -q "T ok $n\$" "$TMP/err"; then ok "$n"; else
      notok "$n ($(grep -m1 "T FAIL $n" "$TMP/err" || echo 'not reported'))"
    fi
  done
}

c=$(with_filter api "local V = vaksam
local function T(name, cond, detail)
  print((cond and 'T ok ' or 'T FAIL ') .. name .. (cond and '' or ' (' .. tostring(detail) .. ')'))
end
local function S(s) return V.Str(s) end
local function texts(l) return table.concat(l:map(function(x) return x.text end), ',') end
-- List methods, on a list made with pandoc.List and on one the conversion made
local l = pandoc.List({S('a'), S('b'), S('c')})
T('List insert appends', (function() l:insert(S('d')) return texts(l) == 'a,b,c,d' end)())
T('List insert at a 1-based position', (function() l:insert(1, S('z')) return texts(l) == 'z,a,b,c,d' end)())
local b = l[3]
local v, i = l:find(b)
T('List find returns the value and its 1-based index', v == b and i == 3, i)
T('List find from init, nil when absent', l:find(b, 4) == nil and l:find(S('b')) == nil)
local v2, i2 = l:find_if(function(x) return x.text == 'c' end)
T('List find_if returns value and index', v2 == l[4] and i2 == 4, i2)
T('List includes', l:includes(b) and not l:includes(S('q')) and pandoc.List({'x', 'y'}):includes('y'))
local f = l:filter(function(x) return x.text ~= 'z' end)
T('List filter returns a List with methods', texts(f) == 'a,b,c,d' and f.map ~= nil and #l == 5)
local m = l:map(function(x) return x.text:upper() end)
T('List map returns a List with methods', table.concat(m, '') == 'ZABCD' and m:includes('A'))
local cl = l:clone()
cl[1] = S('y')
T('List clone is a shallow copy', cl ~= l and l[1].text == 'z' and cl[2] == l[2] and cl.extend ~= nil)
local e = pandoc.List({1, 2})
e:extend({3, 4})
T('List extend appends in place', table.concat(e, ',') == '1,2,3,4')
T('List remove, at and constructors', e:remove(1) == 1 and e:at(-1) == 4 and
  V.Inlines('x').includes == pandoc.List.includes and pandoc.List:new({1}):at(1) == 1)
-- walk on a Div and on a Para, changing inlines; the element itself is not passed
local div = V.Div({V.Para({S('ett'), V.Emph({S('tva')})})})
local seen_div = false
local r = div:walk({Str = function(s) return S(s.text:upper()) end, Div = function() seen_div = true end})
T('walk on a Div changes its inlines', V.utils.stringify(div) == 'ETTTVA' and r == div, V.utils.stringify(div))
T('walk does not call the function for the element itself', not seen_div)
local p = V.Para({S('a'), S('b')})
p:walk({Inlines = function(xs) xs:insert(S('!')) return xs end})
T('walk on a Para with an Inlines function', V.utils.stringify(p) == 'ab!', V.utils.stringify(p))
local bl = V.Blocks({V.Para('x'), V.Para('y')}):walk({Para = function() return {} end})
T('list:walk returns the walked list', #bl == 0, #bl)
local cd = V.Div({V.Para('x')}, {'', {'chef'}})
T('attr classes of a constructed Div are a List', cd.attr.classes:includes('chef'))
-- stringify
T('stringify of inlines', V.utils.stringify({S('a'), V.Space(), V.Emph('b'), V.Code('c')}) == 'a bc')
T('stringify of blocks', V.utils.stringify({V.Header(1, 'Rubrik'), V.BulletList({{V.Plain('p')}})}) == 'Rubrikp')
T('stringify of a document', V.utils.stringify({blocks = {V.Para('doc')}, meta = {}}) == 'doc')
-- topdown order and the false skip
local order = {}
local function rec(name) return function(x) order[#order + 1] = name end end
local tree = V.Blocks({V.Div({V.Para({S('s')})})})
tree:walk({traverse = 'topdown', Blocks = rec('Blocks'), Div = rec('Div'), Para = rec('Para'),
  Inlines = rec('Inlines'), Str = rec('Str')})
T('topdown visits parents before children', table.concat(order, ' ') == 'Blocks Div Blocks Para Inlines Str',
  table.concat(order, ' '))
order = {}
tree:walk({Blocks = rec('Blocks'), Div = rec('Div'), Para = rec('Para'), Inlines = rec('Inlines'), Str = rec('Str')})
T('the default walk is bottom-up', table.concat(order, ' ') == 'Str Inlines Para Blocks Div Blocks',
  table.concat(order, ' '))
order = {}
tree:walk({traverse = 'topdown', Div = function(d) order[#order + 1] = 'Div' return d, false end,
  Para = rec('Para'), Str = rec('Str')})
T('topdown: returning (element, false) skips the children', table.concat(order, ' ') == 'Div',
  table.concat(order, ' '))
order = {}
tree:walk({traverse = 'topdown', Div = function() return V.Para('n') end, Str = rec('Str')})
T('topdown walks the children of a replacement', table.concat(order, ' ') == 'Str')
-- the sandbox is unchanged
T('sandbox: no os.execute, os.getenv, io.popen, dofile', os.execute == nil and os.getenv == nil and
  io.popen == nil and dofile == nil)
T('sandbox: io.open outside the content folder fails', not pcall(function() return io.open('/etc/passwd') end) or
  io.open('/etc/passwd') == nil)
T('sandbox: require loads only filters/ modules', not pcall(require, 'os') and not pcall(require, '../x'))
T('sandbox: the List metatable is protected', getmetatable(l) == 'List' and not pcall(setmetatable, l, {}))
-- in the build: conversion lists are Lists, Doc and Header seen
local once = false
return {
  { Doc = function(doc)
      if once then return end
      once = true
      T('converted block lists are Lists', doc.blocks.find ~= nil and doc.blocks[1].content.map ~= nil)
      T('doc:walk and stringify of the converted document', #doc:walk({}).blocks > 0 and
        #V.utils.stringify(doc) > 0)
    end },
  { traverse = 'topdown',
    Header = function(h) return h, false end,
    Str = function(s) s.text = s.text:upper() return s end },
}")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/api-out" -q
check "a build with the API filter exits 0" [ "$RC" -eq 0 ]
expect_t 'List insert appends' 'List insert at a 1-based position' \
  'List find returns the value and its 1-based index' 'List find from init, nil when absent' \
  'List find_if returns value and index' 'List includes' 'List filter returns a List with methods' \
  'List map returns a List with methods' 'List clone is a shallow copy' 'List extend appends in place' \
  'List remove, at and constructors' 'walk on a Div changes its inlines' \
  'walk does not call the function for the element itself' 'walk on a Para with an Inlines function' \
  'list:walk returns the walked list' 'attr classes of a constructed Div are a List' 'stringify of inlines' 'stringify of blocks' \
  'stringify of a document' 'topdown visits parents before children' 'the default walk is bottom-up' \
  'topdown: returning (element, false) skips the children' 'topdown walks the children of a replacement' \
  'sandbox: no os.execute, os.getenv, io.popen, dofile' 'sandbox: io.open outside the content folder fails' \
  'sandbox: require loads only filters/ modules' 'sandbox: the List metatable is protected' \
  'converted block lists are Lists' 'doc:walk and stringify of the converted document'
check "no check of the filter failed" bash -c "! grep -q 'T FAIL' '$TMP/err'"
page=$(grep -rl 'Under samtalet' "$TMP/api-out" | head -1)
check "topdown in the build: a skipped Header keeps its text" grep -q 'Under samtalet' "$page"
check "… while the paragraphs' text was walked (upper case)" grep -q 'LUGNET OCH ANTECKNA' "$page"

c=$(with_filter trav "return { traverse = 'sideways', Str = function() end }")
expect_fail "an unknown traverse is an error that says what to write" 1 \
  "traverse is 'sideways' — write traverse = 'topdown'" build --content "$c" --theme "$THEME" -o "$TMP/t-out"

c=$(with_filter badlist "return { { Para = function(p) p.content = 5 end }, { Str = function() end } }")
expect_fail "a filter leaving a number where a list belongs is an error, not a crash" 1 \
  "attempt to index a number value" build --content "$c" --theme "$THEME" -o "$TMP/b-out"

# A chain that only reads the tree (every kind of function, returning nil or
# what it got, top-down and bottom-up, doc:walk and stringify) publishes
# byte for byte what no filter publishes: the round trip loses nothing.
plain=$(fresh_content readonly-plain)
c=$(with_filter readonly "local n = 0
local function look(x) n = n + #V.utils.stringify(x) end
V = vaksam
return {
  { Str = function(s) n = n + #s.text end, Code = function(c) look(c) end,
    Para = function(p) look(p) return nil end, Header = function(h) return h end,
    Div = function(d) local _ = d.attr.classes[1] end, Link = function(l) local _ = l.target end,
    BulletList = function(l) return l end, OrderedList = function(l) local _ = l.start end,
    Table = function(t) look(t) end, CodeBlock = function(b) local _ = b.text end,
    Blocks = function(b) return b end, Inlines = function(i) return nil end,
    Meta = function(m) return nil end,
    Doc = function(d) d:walk({ Str = function() end }) look(d) return d end },
  { traverse = 'topdown', Div = function(d) return d end, Emph = function() end,
    Doc = function() return nil end },
}")
run_vaksam build --content "$plain" --theme "$THEME" -o "$TMP/ro-plain" --format html,odt
rc_plain=$RC
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/ro-filtered" --format html,odt
check "a read-only chain builds (exit 0, as without filters)" bash -c "[ $RC -eq 0 ] && [ $rc_plain -eq 0 ]"
check "… and its output is byte-identical to the build without filters" \
  diff -r "$TMP/ro-plain" "$TMP/ro-filtered"
