#!/usr/bin/env bash
# other_municipality.sh — a second content tree (tests/data/other-kommun/)
# whose organisation, role and variable ids share nothing with the sample:
# every feature the sample gets through its ids — facilitator notes, the
# facilitator guide and speaker notes, the review dashboard, the pack's
# contact line, the role chooser — works here through site.yaml's
# capabilities (`can:`), `packs.participants` and `labels:`.
. "$(dirname "$0")/../lib.sh"
src=$VAKSAM_ROOT/tests/data/other-kommun
export SOURCE_DATE_EPOCH=1763856000
c=$TMP/c
cp -R "$src" "$c"

# the tree shares no id with the sample
ids_of() { # site.yaml → its `- id:` values and variable names
  awk '/^[[:space:]]*-?[[:space:]]*id:/ { v = $0; sub(/.*id:[[:space:]]*/, "", v); print v; next }
       /^[[:space:]]*variables:[[:space:]]*$/ { inv = 1; next }
       inv && /^      [a-z_]+:/ { k = $0; sub(/^[[:space:]]*/, "", k); sub(/:.*/, "", k); print k; next }
       { inv = 0 }' "$1" | sort -u
}
shared=$(comm -12 <(ids_of "$src/site.yaml") <(ids_of "$VAKSAM_ROOT/content/site.yaml") | tr '\n' ' ')
check "no organisation, role or variable id shared with content/site.yaml${shared:+: $shared}" \
  [ -z "$shared" ]

run_vaksam check --content "$c" --theme "$THEME" --strict --today 2026-12-01
check "check --strict exits 0 on the other municipality (exit $RC: $ERR)" [ "$RC" -eq 0 ]

run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "it builds (exit $RC: $ERR)" [ "$RC" -eq 0 ]
d=$TMP/d
xml() { unzip -p "$1" content.xml 2>/dev/null; }
notes() { # the speaker notes of an ODP, one block a line
  xml "$1" | python3 -c 'import re,sys; print("\n".join(re.findall(r"<presentation:notes.*?</presentation:notes>", sys.stdin.read(), re.S)))'
}
slides_without_notes() {
  xml "$1" | python3 -c 'import re,sys; print(re.sub(r"<presentation:notes.*?</presentation:notes>", "", sys.stdin.read(), flags=re.S))'
}

# facilitator guide and pack page: the role with `can: [handledning]`
p=$d/site/vardforvaltningen/ledare/apt/trygg-i-vardagen
check "the pack has a facilitator guide (handledning.odt)" [ -f "$p/handledning.odt" ]
check "the facilitator guide carries the facilitator notes and the leader's text" \
  bash -c "unzip -p '$p/handledning.odt' content.xml | grep -q LEDARNOTIS-SENTINEL &&
           unzip -p '$p/handledning.odt' content.xml | grep -q LEDARFALL-SENTINEL"
check "the participant handout carries neither" \
  bash -c "! unzip -p '$p/deltagare.odt' content.xml | grep -q 'LEDARNOTIS-SENTINEL\|LEDARFALL-SENTINEL'"
pages=$d/site/vardforvaltningen
check "the leader's pack page offers the facilitator guide and shows the notes" \
  bash -c "grep -q 'handledning.odt' '$pages/ledare/apt/trygg-i-vardagen.html' &&
           grep -q LEDARNOTIS-SENTINEL '$pages/ledare/apt/trygg-i-vardagen.html'"
for r in anstalld arbetsmiljoombud; do
  check "the $r pack page neither offers the facilitator guide nor shows the notes" \
    bash -c "[ -f '$pages/$r/apt/trygg-i-vardagen.html' ] &&
             ! grep -q 'handledning.odt\|LEDARNOTIS-SENTINEL' '$pages/$r/apt/trygg-i-vardagen.html'"
done
check "facilitator notes without roles= show to the facilitating role only (case page)" \
  bash -c "grep -q LEDARNOTIS-SENTINEL '$pages/ledare/fall/anhorig-i-korridoren.html' &&
           ! grep -q LEDARNOTIS-SENTINEL '$pages/anstalld/fall/anhorig-i-korridoren.html' &&
           ! grep -rq LEDARNOTIS-SENTINEL '$d/site/vardforvaltningen/anstalld/dokument' '$pages/anstalld'"
check "the HTML slide view is made for the facilitating role only" \
  bash -c "[ -f '$pages/ledare/apt/trygg-i-vardagen/bildspel/index.html' ] &&
           [ ! -e '$pages/anstalld/apt/trygg-i-vardagen/bildspel' ]"

# speaker notes: the facilitator's, in the participants' deck
check "the ODP's speaker notes carry the facilitator notes" \
  bash -c "$(declare -f xml notes); notes '$p/bildspel.odp' | grep -q LEDARNOTIS-SENTINEL"
check "the ODP's slides themselves do not" \
  bash -c "$(declare -f xml slides_without_notes); ! slides_without_notes '$p/bildspel.odp' | grep -q LEDARNOTIS-SENTINEL"

# participants: the site's default, and a pack's own
check "a pack's participants: politiker gets the politicians' text in its handout" \
  bash -c "unzip -p '$d/site/regionen/ledare/apt/uppdraget-och-paverkan/deltagare.odt' content.xml | grep -q POLITIKERTEXT-SENTINEL"
check "the site's participants (anstalld) do not get it" \
  bash -c "! grep -rq POLITIKERTEXT-SENTINEL '$pages/anstalld'"

# the review dashboard: the roles with `can: [granskning]`
for r in ledare arbetsmiljoombud; do
  check "the $r role has the review dashboard and its link" \
    bash -c "[ -f '$pages/$r/granskning.html' ] && grep -q 'granskning.html' '$pages/$r/index.html'"
done
for r in anstalld politiker; do
  check "the $r role has no review dashboard nor link" \
    bash -c "[ ! -e '$pages/$r/granskning.html' ] && ! grep -q 'granskning.html' '$pages/$r/index.html'"
done

# the pack's contact line, from site.yaml's label and the renamed variables
check "the contact line names Synergi and the care administration's alarm number" \
  bash -c "unzip -p '$p/bildspel.odp' content.xml | grep -q 'Anmäl varje händelse i Synergi. Säkerhetsenhetens larmnummer: 0910-77 20 20'"
check "an organisation that inherits the variables gets the region's" \
  bash -c "unzip -p '$d/site/trafikforvaltningen/ledare/apt/trygg-i-vardagen/bildspel.odp' content.xml | grep -q 'Anmäl varje händelse i Avvikelseportalen. Säkerhetsenhetens larmnummer: 0910-77 10 00'"

# the role chooser lists exactly the configured roles, in order
chooser=$(grep -o 'class="choice" href="[a-z0-9-]*/index.html"' "$pages/index.html" | sed 's/.*href="\([^/]*\)\/.*/\1/' | tr '\n' ' ')
check "the role chooser lists exactly the configured roles (got: $chooser)" \
  [ "$chooser" = "anstalld ledare politiker arbetsmiljoombud " ]

# errors and warnings about the new keys
bad=$TMP/bad
reset_bad() { rm -rf "$bad" && cp -R "$src" "$bad"; }
reset_bad
sed -i 's/can: \[granskning\]/can: [granska]/' "$bad/site.yaml"
line=$(grep -n 'can: \[granska\]' "$bad/site.yaml" | cut -d: -f1)
expect_fail "an unknown capability is an error with file:line:col and the valid names" 1 \
  "site.yaml:$line:[0-9]+: error: unknown capability 'granska' — .*handledning.*granskning" \
  check --content "$bad" --theme "$THEME"
reset_bad
sed -i 's/^packs: {participants: anstalld}/packs: {participants: personal}/' "$bad/site.yaml"
line=$(grep -n '^packs:' "$bad/site.yaml" | cut -d: -f1)
expect_fail "an unknown participants role is an error with file:line:col and the roles" 1 \
  "site.yaml:$line:[0-9]+: error: 'packs.participants' names 'personal', which is not a role .*anstalld, ledare, politiker, arbetsmiljoombud" \
  build --content "$bad" --theme "$THEME" -o "$TMP/bad-out" -q
reset_bad
sed -i 's/^participants: politiker/participants: ledare/' "$bad/apt/uppdraget-och-paverkan.md"
expect_fail "a pack's participants may not be the facilitating role (file:line:col)" 1 \
  "apt/uppdraget-och-paverkan.md:6:[0-9]+: error: 'participants' names 'ledare', which has" \
  check --content "$bad" --theme "$THEME"
reset_bad
sed -i 's/^audience: \[politiker, ledare\]/audience: [politiker, chef]/' "$bad/apt/uppdraget-och-paverkan.md"
expect_fail "an unknown audience role is an error with file:line:col" 1 \
  "apt/uppdraget-och-paverkan.md:5:[0-9]+: error: 'audience' names 'chef', which is not a role" \
  check --content "$bad" --theme "$THEME"

# a variable text that needs a variable an organisation lacks
reset_bad
sed -i 's/^  slides.contact: .*/  slides.contact: "Anmäl i {{avvikelsesystem}}."/' "$bad/site.yaml"
line=$(grep -n 'slides.contact' "$bad/site.yaml" | cut -d: -f1)
expect_fail "check: a label needing a missing variable names label, variable, organisation and the fix" 1 \
  "site.yaml:$line:[0-9]+: error: label 'slides.contact' needs variable 'avvikelsesystem', which organisation 'regionen' does not define — define it under .*variables:" \
  check --content "$bad" --theme "$THEME"
expect_fail "build: the same error, and no output" 1 \
  "label 'slides.contact' needs variable 'avvikelsesystem', which organisation 'vardforvaltningen'" \
  build --content "$bad" --theme "$THEME" -o "$TMP/bad-out" -q
check "the failed build wrote nothing" [ ! -e "$TMP/bad-out" ]
# inside a section the variable may be missing: that part is left out
reset_bad
sed -i '/^      larmnummer: "0910-77 20 20"$/d; /^      larmnummer: "0910-77 10 00"$/d' "$bad/site.yaml"
run_vaksam build --content "$bad" --theme "$THEME" -o "$TMP/nolarm" -q
check "a variable inside {{#…}} may be missing: the build passes (exit $RC)" [ "$RC" -eq 0 ]
check "…and the contact line leaves that part out" \
  bash -c "unzip -p '$TMP/nolarm/site/vardforvaltningen/ledare/apt/trygg-i-vardagen/bildspel.odp' content.xml | grep -q 'Anmäl varje händelse i Synergi\. *<' &&
           ! unzip -p '$TMP/nolarm/site/vardforvaltningen/ledare/apt/trygg-i-vardagen/bildspel.odp' content.xml | grep -q larmnummer"

# no role facilitates: said by check, and packs have no facilitator files
reset_bad
sed -i 's/can: \[handledning, granskning\]/can: [granskning]/' "$bad/site.yaml"
run_vaksam check --content "$bad" --theme "$THEME" --today 2026-12-01
check "without a facilitating role check warns that packs get no facilitator guide (exit $RC)" \
  bash -c "[ $RC -eq 0 ] && grep -q \"warning: no role has \\\`can: \\[handledning\\]\\\` — the 2 APT pack(s) get no facilitator guide\" '$TMP/err'"
expect_fail "…and check --strict fails on it" 1 "no role has .can: \[handledning\]" \
  check --content "$bad" --theme "$THEME" --strict --today 2026-12-01
run_vaksam build --content "$bad" --theme "$THEME" -o "$TMP/nofac" -q
check "…and the build has no facilitator guide, no notes in the ODP, no notes on pages" \
  bash -c "[ $RC -eq 0 ] && [ ! -e '$TMP/nofac/site/vardforvaltningen/anstalld/apt/trygg-i-vardagen/handledning.odt' ] &&
           ! unzip -p '$TMP/nofac/site/vardforvaltningen/anstalld/apt/trygg-i-vardagen/bildspel.odp' content.xml | grep -q LEDARNOTIS &&
           ! grep -rq LEDARNOTIS-SENTINEL '$TMP/nofac/site'"

# two facilitating roles: each gets its own pack files, made as it sees the
# content, in its own folder (so its pack page's downloads resolve, and a web
# server's rules for the role cover them)
reset_bad
sed -i 's/^    can: \[granskning\]$/    can: [handledning, granskning]/' "$bad/site.yaml"
run_vaksam build --content "$bad" --theme "$THEME" -o "$TMP/twofac" -q
check "a second facilitating role builds (exit $RC: $ERR)" [ "$RC" -eq 0 ]
for r in ledare arbetsmiljoombud; do
  page=$TMP/twofac/site/vardforvaltningen/$r/apt/trygg-i-vardagen.html
  missing=$(grep -o 'href="trygg-i-vardagen/[^"]*\.\(odt\|odp\|zip\)"' "$page" 2>/dev/null | sed 's/^href="//; s/"$//' |
    while read -r f; do [ -f "$(dirname "$page")/$f" ] || echo "$f"; done)
  n=$(grep -c 'href="trygg-i-vardagen/[^"]*\.\(odt\|odp\|zip\)"' "$page" 2>/dev/null)
  check "$r's pack page offers its downloads and each exists in its own folder (${n:-0} links; missing: $missing)" \
    bash -c "[ '${n:-0}' -ge 4 ] && [ -z '$missing' ]"
done
check "…and the arbetsmiljoombud's facilitator guide carries the facilitator notes" \
  bash -c "unzip -p '$TMP/twofac/site/vardforvaltningen/arbetsmiljoombud/apt/trygg-i-vardagen/handledning.odt' content.xml | grep -q LEDARNOTIS-SENTINEL"
