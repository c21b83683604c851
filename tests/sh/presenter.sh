#!/usr/bin/env bash
# The HTML slide view's presenter view: a facilitating role's slide view has
# the speaker notes, next slide, a timer per agenda item and its keys, works
# from file:// with nothing from outside, and is axe clean (presenter.js in
# headless chromium), also as the copy in the pack's zip, unzipped; a role that does not facilitate has the notes nowhere
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
# resources (src=, <link href=) only; links to pages may lead anywhere
external() { grep -Eo '(src="|<link[^>]*href=")(https?:)?//[^"]*' "$1"; }
check "the slide view loads no resource from outside the site" test -z "$(external "$html")"
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

# the pack's zip holds the presenter view as one self-contained page
zip=$(find "$(dirname "$(dirname "$html")")" -maxdepth 1 -name '*.zip' | head -1)
mkdir -p "$TMP/unz"
(cd "$TMP/unz" && unzip -q "$zip")
check "the pack zip holds bildspel.html" [ -f "$TMP/unz/bildspel.html" ]
check "the zip's slide view has its CSS and script inline (no files to miss)" \
  bash -c "grep -q '<style>' '$TMP/unz/bildspel.html' && ! grep -Eq '<script src=|<link rel=\"stylesheet\"' '$TMP/unz/bildspel.html'"
check "the zip's slide view loads no resource from outside" test -z "$(external "$TMP/unz/bildspel.html")"
check "the zip's slide view is not also written to the site" [ ! -e "$(dirname "$zip")/bildspel.html" ]
# the unzipped copy in the browser, offline (file://, other requests refused)
out=$(cd "$VAKSAM_ROOT/tests" && node browser/presenter.js "$TMP/unz/bildspel.html" "$note" | sed 's/^\(not \)\{0,1\}ok - /&unzipped pack: /')
echo "$out"
check "presenter.js ran all its checks on the unzipped pack" bash -c "echo \"\$1\" | grep -q 'ok - unzipped pack: S hides the presenter view again'" _ "$out"
