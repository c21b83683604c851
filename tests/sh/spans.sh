#!/usr/bin/env bash
# Bracketed spans [text]{roles= orgs= formats=} and formats= on containers:
# errors at file:line:col (exit 1), visibility per variant and per output
# format (site page, ODT handout, ODP slides), links beside spans, the
# Span element in Lua filters, and no leak of a chef-only span's text.
. "$(dirname "$0")/../lib.sh"

# ---- errors --------------------------------------------------------------
# err DESC LINE-TEXT PATTERN: the line appended to a routine (it becomes line 32).
err() {
  local c
  c=$(fresh_content "e$RANDOM")
  printf '\n%s\n' "$2" >>"$c/routines/hot-i-telefon.md"
  expect_fail "$1" 1 "routines/hot-i-telefon.md:$3" check --content "$c" --theme "$THEME"
}
err "unknown role in a span, at the '['" 'Text [x]{roles="chf"} slut.' \
  "32:6: error: span roles=\"chf\" names 'chf', which is not a role in site.yaml"
err "unknown organisation in a span" 'Text [x]{orgs="socialnamden"} slut.' \
  "32:6: error: span orgs=\"socialnamden\" names 'socialnamden', which is not an organisation"
err "near miss role= in a span names roles=" 'Text [x]{role="chef"} slut.' \
  "32:6: error: span attribute 'role=' is not known, so it would restrict nothing — write 'roles='"
err "near miss ORGS= in a span names orgs=" 'Text [x]{ORGS="kommunen"} slut.' \
  "32:6: error: span attribute 'ORGS=' is not known.*write 'orgs='"
err "near miss format= names formats=" 'Text [x]{format="html"} slut.' \
  "32:6: error: span attribute 'format=' is not known.*write 'formats='"
err "unknown key in a span" 'Text [x]{colour=red} slut.' \
  "32:6: error: span attribute 'colour=' is not known — use roles=, orgs=, formats="
err "unknown output format" 'Text [x]{formats="html pdf"} slut.' \
  "32:6: error: span formats=\"html pdf\" names 'pdf', which is no output format"
err "a ']{roles=…}' without its '['" 'Text x]{roles="chef"} slut.' \
  "32:8: error: '\{roles=\"chef\"\}' follows a ']' without its '\['"
err "conditions right after a link are an error, not text for all" \
  'Text [x](../definitions/hot.md){roles="chef"} slut.' "32:32: error: '\{roles=\"chef\"\}' follows a link"
err "unclosed span attributes" 'Text [x]{roles="chef} slut.' "32:9: error: span attributes .* are not closed"
c=$(fresh_content fmtdiv)
printf '\n::: {formats="pdf"}\nX\n:::\n' >>"$c/routines/hot-i-telefon.md"
expect_fail "unknown format on a container" 1 \
  "hot-i-telefon.md:32:4: error: container formats=\"pdf\" names 'pdf', which is no output format" \
  check --content "$c" --theme "$THEME"

# ---- visibility ----------------------------------------------------------
c=$(fresh_content vis)
cat >>"$c/routines/hot-i-telefon.md" <<'MD'

Alla ser detta, [CHEFSPAN-SENTINEL *viktigt*]{roles="chef" .markerad #chefdel} och
[SOCSPAN-SENTINEL]{orgs="socialnamnden"}, samt [en länk](../definitions/hot.md) och
[referenslänk][hotref] och [[INRESPAN-SENTINEL]{roles="chef"} ODTSPAN-SENTINEL]{formats="odt"}
och [HTMLSPAN-SENTINEL]{formats="html, odp"} slut.

| Vem | Vad |
|-----|-----|
| Alla | TABELLALLA [TABELLCHEF-SENTINEL *kursiv*]{roles="chef"} TABELLEFTER |

::: {formats="odt"}
ODTDIV-SENTINEL bara i utskriften.
:::

::: {formats="html"}
HTMLDIV-SENTINEL bara på webben.
:::

[hotref]: ../definitions/hot.md
MD
sed -i 's/^  - intro: "Vi pratar om hot i {{incident_system}}."/  - intro: "Vi pratar om hot [ODPSPAN-SENTINEL]{formats=\\"odp\\"} i {{incident_system}}."/' \
  "$c/apt/hot-pa-jobbet.md"
grep -q ODPSPAN-SENTINEL "$c/apt/hot-pa-jobbet.md" || notok "the pack's intro has the odp span (test setup)"
mkdir -p "$c/filters"
cat >"$c/filters/spans.lua" <<'LUA'
return {
  Span = function(s)
    if s.attr.identifier == "chefdel" then
      table.insert(s.content, vaksam.Str(" FILTERSAG-" .. s.attr.classes[1]))
    end
    return s
  end
}
LUA
sed -i '1i filters: [spans.lua]' "$c/site.yaml"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/outv" -q

check "builds with spans (exit $RC${ERR:+: $(echo "$ERR" | head -c 300)})" [ "$RC" -eq 0 ]
page() { cat "$TMP/outv/site/$1/rutiner/hot-i-telefon.html"; }
odt() { unzip -p "$TMP/outv/site/$1/dokument/hot-i-telefon.odt" content.xml; }
has() { grep -q -- "$2" <<<"$1"; }
sc=$(page socialnamnden/chef)
km=$(page kommunen/medarbetare)
check "chef sees the role span as <span class id>" has "$sc" '<span class="markerad" id="chefdel">CHEFSPAN-SENTINEL <em>viktigt</em>'
check "medarbetare does not see the role span" bash -c "! grep -q CHEFSPAN-SENTINEL <<<'$km'"
check "socialnämnden sees the org span" has "$sc" SOCSPAN-SENTINEL
check "kommunen (the parent) does not see the org span" bash -c "! grep -q SOCSPAN-SENTINEL <<<'$km'"
check "text around the spans stays for everyone" has "$km" 'Alla ser detta, '
check "a link beside spans is still a link" has "$km" '<a href="../begrepp/index.html#hot">en länk</a>'
check "a reference link beside spans is still a link" has "$km" '<a href="../begrepp/index.html#hot">referenslänk</a>'
check "a span in a table cell, for chef" has "$sc" '<td>TABELLALLA <span>TABELLCHEF-SENTINEL <em>kursiv</em></span> TABELLEFTER</td>'
check "a span in a table cell, the cell without it for medarbetare" has "$km" '<td>TABELLALLA  TABELLEFTER</td>'
check "no {…} of a span is left as text" bash -c "! grep -q 'roles=\|formats=\|orgs=' <<<'$sc'"
check "a Lua filter gets the Span with its attributes" has "$sc" 'FILTERSAG-markerad'
check "html span in the page" has "$sc" HTMLSPAN-SENTINEL
check "html container in the page" has "$sc" HTMLDIV-SENTINEL
check "odt span not in the page" bash -c "! grep -q 'ODTSPAN-SENTINEL\|INRESPAN' <<<'$sc'"
check "odt container not in the page" bash -c "! grep -q ODTDIV-SENTINEL <<<'$sc'"
oc=$(odt socialnamnden/chef)
om=$(odt kommunen/medarbetare)
check "odt span (with the chef span inside) in chef's handout, as plain text" has "$oc" 'INRESPAN-SENTINEL ODTSPAN-SENTINEL'
check "odt span without the chef part in medarbetare's handout" bash -c "grep -q ODTSPAN-SENTINEL <<<'$om' && ! grep -q INRESPAN <<<'$om'"
check "odt container in the handout" has "$oc" ODTDIV-SENTINEL
check "role span in chef's handout" has "$oc" CHEFSPAN-SENTINEL
check "a span in a table cell in chef's handout" bash -c "grep -q 'TABELLALLA TABELLCHEF-SENTINEL' <<<'$oc' && grep -q TABELLEFTER <<<'$oc'"
check "the table cell without the span in medarbetare's handout" bash -c "grep -q TABELLEFTER <<<'$om' && ! grep -q TABELLCHEF <<<'$om'"
check "html span and container not in the handout" bash -c "! grep -q 'HTMLSPAN-SENTINEL\|HTMLDIV-SENTINEL' <<<'$oc'"
check "no span element in the handout's XML" bash -c "! grep -q '<span' <<<'$oc'"
odp=$(unzip -p "$TMP/outv/site/kommunen/chef/apt/hot-pa-jobbet/bildspel.odp" content.xml)
check "odp span in the slides" has "$odp" ODPSPAN-SENTINEL
for f in apt/hot-pa-jobbet.html apt/hot-pa-jobbet/bildspel/index.html; do
  h=$(cat "$TMP/outv/site/kommunen/chef/$f")
  check "odp span not in the HTML $f (its intro is there)" bash -c "grep -q 'Vi pratar' <<<'$h' && ! grep -q ODPSPAN-SENTINEL <<<'$h'"
done
part=$(unzip -p "$TMP/outv/site/kommunen/chef/apt/hot-pa-jobbet/deltagare.odt" content.xml 2>/dev/null)
check "odp span not in the pack's participant handout" bash -c "[ -n '${part:0:10}' ] && ! grep -q ODPSPAN-SENTINEL <<<'$part'"

# ---- no leak ------------------------------------------------------------
find "$TMP/outv" -type f \( -name '*.odt' -o -name '*.odp' -o -name '*.zip' \) | while read -r f; do
  mkdir -p "$f.x" && unzip -q -o "$f" -d "$f.x" 2>/dev/null
done
leaks=$(grep -rl --binary-files=text -e CHEFSPAN-SENTINEL -e INRESPAN-SENTINEL -e TABELLCHEF-SENTINEL "$TMP/outv" | sed "s#^$TMP/outv/##" | grep -Ev '(^|/)chef/|handledning\.odt')
check "chef-only span text in no other role's file (pages, handouts, search index)" [ -z "$leaks" ]
[ -z "$leaks" ] || echo "# leaked into: $(echo $leaks | head -c 400)"
check "chef's search index has the chef span" bash -c "grep -rq CHEFSPAN-SENTINEL '$TMP/outv/site/kommunen/chef/sok'"
leaks=$(grep -rl --binary-files=text SOCSPAN-SENTINEL "$TMP/outv" | sed "s#^$TMP/outv/##" | grep -Ev '^site/socialnamnden/')
check "socialnämnden's span text in no other organisation's file" [ -z "$leaks" ]
check "odt-only text not in any search index" bash -c "! grep -rq 'ODTSPAN-SENTINEL\|ODTDIV-SENTINEL' '$TMP/outv/site/'*/*/sok"
