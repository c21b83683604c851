#!/usr/bin/env bash
# The HTML slide view's presenter view: a facilitating role's slide view has
# the speaker notes, next slide, a timer per agenda item and its keys, works
# from file:// with nothing from outside, and is axe clean (presenter.js in
# headless chromium); a role that does not facilitate has the notes nowhere
# in its pages (absent, not hidden).
. "$(dirname "$0")/../lib.sh"
run_vaksam build --content "$VAKSAM_ROOT/content" --theme "$THEME" -o "$TMP/d" -q
check "sample site builds" [ "$RC" -eq 0 ]
site=$TMP/d/site
# a facilitating role (can: [handledning]) and one that does not facilitate, from site.yaml
roles() { awk '/^roles:/{r=1; next} /^[a-z]/{r=0} r' "$VAKSAM_ROOT/content/site.yaml"; }
fac=$(roles | awk '/^  - id:/{id=$3} /can:.*handledning/{print id; exit}')
staff=$(roles | awk '/^  - id:/{if (id && !f) {print id; exit} id=$3; f=0} /can:.*handledning/{f=1} END{if (!f) print id}' | head -1)
check "site.yaml has a facilitating role and another" test -n "$fac" -a -n "$staff" -a "$fac" != "$staff"
html=$(find "$site" -path "*/$fac/apt/*/bildspel/index.html" | sort | while read -r f; do
  grep -q 'class="slide-note"' "$f" && { echo "$f"; break; }; done)
check "a facilitator's slide view holds speaker notes" [ -n "$html" ]
[ -n "$html" ] || exit 0
# a phrase of the first note: its first 40 characters of text
note=$(sed -n '/class="slide-note"/{s/.*class="slide-note"[^>]*><p>//;s/<.*//;p;q}' "$html" | cut -c1-40)
check "the note has text to look for" [ -n "$note" ]
check "the slide view names no resource outside the site (no http: or //host in src/href)" \
  bash -c "! grep -Eo '(src|href)=\"(https?:)?//[^\"]*' '$html' | grep -q ."
org=$(echo "${html#"$site"/}" | cut -d/ -f1)
check "the staff role's pages do not hold the note (absent, not hidden)" \
  bash -c "! grep -rqF -- '$note' '$site/$org/$staff'"
check "the staff role's pages have no notes or presenter view markup" \
  bash -c "! grep -rqE 'class=\"(slide-note|presenter)' '$site/$org/$staff'"
if [ ! -d "$VAKSAM_ROOT/tests/node_modules/playwright-core" ] || [ ! -d "$VAKSAM_ROOT/tests/node_modules/axe-core" ]; then
  notok "playwright-core and axe-core are installed (run scripts/setup test)"
  exit 0
fi
out=$(cd "$VAKSAM_ROOT/tests" && node browser/presenter.js "$html" "$note")
echo "$out"
check "presenter.js ran all its checks" bash -c "echo \"\$1\" | grep -q 'ok - S hides the presenter view again'" _ "$out"
