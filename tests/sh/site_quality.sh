#!/usr/bin/env bash
# The sample site in a browser: axe-core finds no WCAG 2.1 A/AA violation on
# any page, and the Nu Html Checker finds no HTML error.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || content=$VAKSAM_ROOT/tests/data/mini
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format html -q
check "sample site builds" [ "$RC" -eq 0 ]
if [ ! -d "$VAKSAM_ROOT/tests/node_modules/axe-core" ]; then
  notok "axe-core is installed (run scripts/setup test)"
  exit 0
fi
node "$VAKSAM_ROOT/tests/browser/axe.js" "$TMP/d/site"
vnu=$VAKSAM_ROOT/tests/node_modules/vnu-jar/build/dist/vnu.jar
if [ -f "$vnu" ]; then
  # The slide view and site pages alike; only errors count (not info/warnings).
  if java -jar "$vnu" --errors-only --skip-non-html "$TMP/d/site" 2>"$TMP/vnu.txt"; then
    ok "Nu Html Checker: every page is valid HTML"
  else
    notok "Nu Html Checker: $(head -c 1500 "$TMP/vnu.txt")"
  fi
else
  notok "vnu-jar is installed (run scripts/setup test)"
fi
