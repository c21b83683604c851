#!/usr/bin/env bash
# Hostile filters and hostile content (issue 18, items 8–11 and 16): every
# filter ends (finalizers, pattern matching in C, endless loops), the build
# stops at the first runaway filter with one error, `vaksam check` runs the
# filters, what a filter returns is valid UTF-8 for XML, and the messages
# name full paths and file:line. `timeout` is a guard against a hang, not a
# timing: a correct build ends in well under a second.
. "$(dirname "$0")/../lib.sh"

# guarded DESC ARGS… — runs vaksam under a generous guard; a hang is a failure.
guarded() {
  local d=$1
  shift
  timeout 60 "$VAKSAM" "$@" -q >"$TMP/out" 2>"$TMP/err"
  RC=$?
  if [ "$RC" -eq 124 ]; then notok "$d (hung: killed after 60 s)"; return 1; fi
  return 0
}

errors() { grep -c ': error: ' "$TMP/err"; }

# ---- item 9: a finalizer that never ends ----------------------------------
c=$(with_filter gc "setmetatable({}, {__gc = function() while true do end end})
return {}")
if guarded "a looping __gc finalizer does not hang the build" build --content "$c" --theme "$THEME" -o "$TMP/gc-out"; then
  check "a filter setting __gc is an error at its file:line (exit 1)" \
    grep -Eq "^$c/filters/x.lua:1: error: setmetatable: filters may not set finalizers" "$TMP/err"
  check "… and exits 1" [ "$RC" -eq 1 ]
fi

# ---- item 10: catastrophic backtracking inside string.find -----------------
c=$(with_filter pat "return { Str = function(s)
  string.find(string.rep('a', 3e4), '.-.-.-.-.-.-.-.-b')
end }")
if guarded "string.find with a backtracking pattern does not hang" build --content "$c" --theme "$THEME" -o "$TMP/pat-out"; then
  check "backtracking pattern stops with an error at the filter's line, exit 1" \
    bash -c "[ $RC -eq 1 ] && grep -Eq '^$c/filters/x.lua:2: error: the filter ran (more than|for more)' '$TMP/err'"
  check "… one error: the build stops at the first runaway filter" [ "$(errors)" -eq 1 ]
fi
c=$(with_filter gsubloop "return { Str = function(s)
  local t = string.rep('ab', 2e4)
  for i = 1, 1e6 do t:gsub('(a-)(b-)(a-)(b-)x', '%2') end
end }")
if guarded "gsub of a backtracking pattern in a loop does not hang" build --content "$c" --theme "$THEME" -o "$TMP/gs-out"; then
  check "gsub loop stops with one error, exit 1" bash -c "[ $RC -eq 1 ] && [ $(errors) -eq 1 ]"
fi

# ---- item 11: an endless loop stops the whole build at once -----------------
c=$(with_filter loop "return { Str = function(s) while true do end end }")
if guarded "an endless loop is stopped" build --content "$c" --theme "$THEME" -o "$TMP/loop-out"; then
  check "endless loop: exit 1" [ "$RC" -eq 1 ]
  check "endless loop: exactly one error, naming filter file:line, document and variant" \
    bash -c "[ $(errors) -eq 1 ] && grep -Eq '^$c/filters/x.lua:1: error: .*look for an endless loop.*filtering $c/[a-z]+/[a-z-]+\.md for org=[a-z]+ role=[a-z]+' '$TMP/err'"
  check "endless loop: no output published" [ ! -e "$TMP/loop-out" ]
fi
if guarded "check with an endless loop ends" check --content "$c" --theme "$THEME"; then
  check "vaksam check runs the filters: the endless loop fails it (exit 1, one error)" \
    bash -c "[ $RC -eq 1 ] && [ $(errors) -eq 1 ] && grep -q 'x.lua:1: error: .*endless loop' '$TMP/err'"
fi
c=$(with_filter odtonly "return { Str = function(s)
  if vaksam.context.format == 'odt' then error('only in handouts') end
end }")
run_vaksam check --content "$c" --theme "$THEME"
check "vaksam check runs the filters per format (an error only for odt fails it)" \
  bash -c "[ $RC -eq 1 ] && grep -q 'x.lua:2: error: only in handouts' '$TMP/err'"

# ---- item 8: text that is not UTF-8, or has control characters ---------------
c=$(with_filter utf8 "return { Str = function(s) return vaksam.Str('a\\255b') end }")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/u-out" --format odt
check "a Str with invalid UTF-8 is an error at the function's file:line with document and variant" \
  bash -c "[ $RC -eq 1 ] && grep -Eq '^$c/filters/x.lua:1: error: the Str function left a Str whose text is not valid UTF-8 .*filtering .* for org=[a-z]+ role=[a-z]+' '$TMP/err'"
check "… and no handout is written" [ ! -e "$TMP/u-out" ]
c=$(with_filter ctl "return { Para = function(p) p.content[1].text = 'x\\1y' end }")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/c-out"
check "a control character changed in place is an error at the Para function's line" \
  bash -c "[ $RC -eq 1 ] && grep -q '^$c/filters/x.lua:1: error: the Para function left a Str whose text holds a control character' '$TMP/err'"
c=$(with_filter link "return { Doc = function(d)
  d.blocks[1] = vaksam.Para(vaksam.Link('x', 'https://a/\\0', '')) return d
end }")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/l-out"
check "a NUL in a link target from Doc is an error at the Doc function's line" \
  bash -c "[ $RC -eq 1 ] && grep -q '^$c/filters/x.lua:1: error: the Doc function left a Link whose target holds a control character' '$TMP/err'"
c=$(with_filter kept "local keep
return { Str = function(s) keep = keep or s end,
         Doc = function(d) keep.text = '\\255' end }")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/k-out"
check "text changed through a kept reference is still caught before the writers" \
  bash -c "[ $RC -eq 1 ] && grep -q 'not valid UTF-8' '$TMP/err'"

# ---- item 16: messages -------------------------------------------------------
long=$TMP/$(printf 'en-mycket-langt-katalognamn-%.0s' 1 2 3 4)
mkdir -p "$long"
c=$(with_filter syntax "return {
  Str = function(s)
    return s +
end }")
mv "$c" "$long/c"
c=$long/c
run_vaksam check --content "$c" --theme "$THEME"
check "a syntax error under a long path names the full path:line" \
  grep -Eq "^$c/filters/x.lua:4: error: .*near 'end'" "$TMP/err"

c=$(with_filter mem "local t = {} for i = 1, 1e9 do t[i] = {i} end return {}")
guarded "a filter that eats memory while loading ends" check --content "$c" --theme "$THEME" &&
  check "out of memory while loading names the filter (and the limit), one error" \
    bash -c "[ $RC -eq 1 ] && [ $(errors) -eq 1 ] && grep -Eq '^$c/filters/x.lua(:1)?: error: .*not enough memory.*64 MB' '$TMP/err'"

c=$(with_filter deep "return { Str = function(s) end }")
{ head -n "$(grep -n '^---$' "$c/routines/hot-i-telefon.md" | sed -n 2p | cut -d: -f1)" "$c/routines/hot-i-telefon.md"
  printf '%.0s> ' $(seq 60); echo djupt; echo
  for i in $(seq 250); do printf '%*s- x\n' $((2 * (i - 1))) ''; done; } >"$TMP/deep.md"
mv "$TMP/deep.md" "$c/routines/hot-i-telefon.md"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d-out"
check "a document nested too deeply for filters is an error at the document, not the filter" \
  bash -c "grep -q '^$c/routines/hot-i-telefon.md: error: .*nested more than 200 levels.*flatten the document' '$TMP/err' && ! grep -q 'fix the filter' '$TMP/err'"

c=$(with_filter nest "return { Doc = function(d)
  local p = vaksam.Div({}) local q = p
  for i = 1, 300 do local n = vaksam.Div({}) q.content = {n} q = n end
  d.blocks = {p} return d
end }")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/n-out"
check "elements a filter nested too deeply are an error at the filter's file:line" \
  bash -c "[ $RC -eq 1 ] && grep -q '^$c/filters/x.lua:[0-9]*: error: a filter left elements nested more than 200' '$TMP/err'"

c=$(fresh_content longid)
id=$(printf 'a%.0s' $(seq 5000))
sed -i "s/^id: .*/id: $id/" "$c/routines/hot-i-telefon.md"
grep -q "^id: $id" "$c/routines/hot-i-telefon.md" || sed -i "0,/^title:/s//id: $id\ntitle:/" "$c/routines/hot-i-telefon.md"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/id-out"
check "a 5,000-character id is an error at its file:line, not 'File name too long'" \
  bash -c "[ $RC -eq 1 ] && grep -Eq '^$c/routines/hot-i-telefon.md:2:[0-9]+: error: the id is 5000 characters long' '$TMP/err' && ! grep -q 'too long' '$TMP/err'"

c=$(fresh_content titlevar)
sed -i 's/^title: \(.*\)/title: \1 {{okand}}/' "$c/routines/hot-i-telefon.md"
line=$(grep -n '^title:' "$c/routines/hot-i-telefon.md" | cut -d: -f1)
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/t-out"
check "{{unknown}} in a title is an error at its line naming the variable and the known ones" \
  bash -c "[ $RC -eq 1 ] && grep -Eq '^$c/routines/hot-i-telefon.md:$line:[0-9]+: error: .\{\{okand\}\}. in the title.*known variables: incident_system' '$TMP/err'"

c=$(fresh_content orgdeep)
{ sed '/^roles:/,$d' "$c/site.yaml"
  for i in $(seq 70); do printf '  - id: o%d\n    name: O%d\n    parent: %s\n' "$i" "$i" "$([ "$i" -eq 1 ] && echo kommunen || echo "o$((i - 1))")"; done
  sed -n '/^roles:/,$p' "$c/site.yaml"; } >"$TMP/site.yaml"
mv "$TMP/site.yaml" "$c/site.yaml"
run_vaksam check --content "$c" --theme "$THEME"
check "an organisation chain deeper than 64 is an error at site.yaml:line" \
  bash -c "[ $RC -eq 1 ] && grep -Eq '^$c/site.yaml:[0-9]+:1: error: organisation .o64. is 64 levels below' '$TMP/err'"

# ---- patterns still work as in Lua ------------------------------------------
c=$(with_filter patok "return { Str = function(s)
  local a = ('  x  '):match('^%s*(.-)%s*\$') .. select(2, ('a,b,,c'):gsub(',', ';'))
  local n = 0 for w in ('ett två tre'):gmatch('%S+') do n = n + 1 end
  local b = ('THE (quick) fox'):find('%((%a+)%)') .. ('hello'):gsub('l+', function(x) return #x end)
  return vaksam.Str(a .. n .. b .. ('f(a(b)c)'):match('%b()') .. ('key = val'):gsub('(%w+) = (%w+)', '%2=%1'))
end }")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/p-out" --format html
check "find, match, gmatch and gsub give Lua's results" \
  grep -rq 'x3' "$TMP/p-out/site" && grep -rqF '35he2o(a(b)c)val=key' "$TMP/p-out/site"
