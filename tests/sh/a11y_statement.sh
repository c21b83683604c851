#!/usr/bin/env bash
# The accessibility statement (tillganglighet.html) says what DIGG asks for,
# from site.yaml's `accessibility:` map: the compliance level, how and when
# the site was assessed, what is not accessible and why, a contact, the link
# to Digg's reporting form and the statement's date. A missing or wrong field
# is an error at site.yaml:line; without the map the page says the site has
# not been assessed.
. "$(dirname "$0")/../lib.sh"

run_vaksam build --content "$VAKSAM_ROOT/content" --theme "$THEME" -o "$TMP/d" --format html -q
check "the sample site builds" [ "$RC" -eq 0 ]
page=$TMP/d/site/tillganglighet.html
has() { grep -q -- "$1" "$page"; }
check "the compliance level (delvis förenlig)" has '<strong>delvis förenlig</strong>'
check "how it was assessed (självskattning)" has 'självskattning'
check "when it was assessed" has '<time datetime="2026-11-20">'
check "what is not accessible and why (every entry)" bash -c "[ \$(grep -c '^<li>Bildspelen\|^<li>Handledningar' '$page') = 2 ]"
check "a contact to report problems" has 'sakerhet@exempelkommun.se'
check "the link to Digg's reporting form" has 'href="https://www.digg.se/tdosanmalan"'
check "the date of the statement" has 'Redogörelsen upprättades <time datetime="2026-11-24">'

# with_a11y NAME YAML… — a copy of the mini content with this accessibility map
with_a11y() {
  local c
  c=$(fresh_content "$1")
  shift
  printf '%s\n' "accessibility:" "$@" >>"$c/site.yaml"
  echo "$c"
}
line_of() { grep -n -- "$2" "$1/site.yaml" | head -1 | cut -d: -f1; }

c=$(with_a11y full "  compliance: full" "  method: third_party" "  assessor: Granskarna AB" \
  "  assessed: 2026-10-01" "  date: 2026-10-02" "  contact: webb@exempel.se")
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/full" --format html -q
p=$TMP/full/site/tillganglighet.html
check "full compliance by a third party builds (exit $RC: $(head -c 300 "$TMP/err"))" [ "$RC" -eq 0 ]
check "… says helt förenlig, names the assessor and its own contact" bash -c "grep -q 'helt förenlig' '$p' && grep -q 'Granskarna AB har granskat' '$p' && grep -q 'webb@exempel.se' '$p'"

c=$(with_a11y nolevel "  method: self" "  assessed: 2026-10-01" "  date: 2026-10-02" "  not_accessible: []")
expect_fail "a missing compliance level is an error at site.yaml:line" 1 \
  "site.yaml:$(line_of "$c" '^accessibility:'):[0-9]+: error: accessibility.compliance is missing" \
  build --content "$c" --theme "$THEME" -o "$TMP/o1" --format html -q
c=$(with_a11y badlevel "  compliance: mostly" "  method: self" "  assessed: 2026-10-01" "  date: 2026-10-02" "  not_accessible: []")
expect_fail "an unknown compliance level names the allowed words" 1 \
  "site.yaml:$(line_of "$c" 'mostly'):[0-9]+: error: accessibility.compliance is 'mostly' — write one of: partial, full, none" \
  build --content "$c" --theme "$THEME" -o "$TMP/o2" --format html -q
c=$(with_a11y baddate "  compliance: full" "  method: self" "  assessed: förra året" "  date: 2026-10-02")
expect_fail "a date that is not YYYY-MM-DD is an error at its line" 1 \
  "site.yaml:$(line_of "$c" 'förra'):[0-9]+: error: accessibility.assessed is 'förra året' — write a date as YYYY-MM-DD" \
  build --content "$c" --theme "$THEME" -o "$TMP/o3" --format html -q
c=$(with_a11y nodate "  compliance: full" "  method: self" "  assessed: 2026-10-01")
expect_fail "the statement's date is required" 1 "error: accessibility.date is missing" \
  build --content "$c" --theme "$THEME" -o "$TMP/o4" --format html -q
c=$(with_a11y nogaps "  compliance: partial" "  method: self" "  assessed: 2026-10-01" "  date: 2026-10-02")
expect_fail "partial compliance without not_accessible is an error" 1 "error: accessibility.not_accessible must list what is not accessible and why" \
  build --content "$c" --theme "$THEME" -o "$TMP/o5" --format html -q
c=$(with_a11y noassessor "  compliance: full" "  method: third_party" "  assessed: 2026-10-01" "  date: 2026-10-02")
expect_fail "a third-party assessment names its assessor" 1 "error: accessibility.assessor is missing" \
  build --content "$c" --theme "$THEME" -o "$TMP/o6" --format html -q
c=$(with_a11y typo "  compliance: full" "  method: self" "  assessed: 2026-10-01" "  date: 2026-10-02" "  contcat: x")
expect_fail "an unknown key in accessibility is warned about at its line (as elsewhere in site.yaml)" 0 "site.yaml:$(line_of "$c" contcat):[0-9]+: warning: unknown key 'contcat'" \
  build --content "$c" --theme "$THEME" -o "$TMP/o7" --format html -q

c=$(fresh_content none)
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/none" --format html -q
p=$TMP/none/site/tillganglighet.html
check "without accessibility: the page says the site is not assessed yet, with Digg's form (exit $RC)" \
  bash -c "[ $RC = 0 ] && grep -q 'ännu inte bedömts' '$p' && grep -q 'digg.se/tdosanmalan' '$p'"
