#!/usr/bin/env bash
# Search and checklists in headless chromium (tests/browser/search.js): an
# inflected word finds a routine, a chef-only sentence is not found from a
# staff page, keyboard-accessible results, the no-JS list of all pages,
# checklist ticks that survive a reload, and axe after the interaction.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
if [ ! -f "$content/site.yaml" ]; then
  notok "the sample content is in content/ (the browser test searches its routines)"
  exit 0
fi
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format html -q
check "sample site builds" [ "$RC" -eq 0 ]
if [ ! -d "$VAKSAM_ROOT/tests/node_modules/playwright-core" ] || [ ! -d "$VAKSAM_ROOT/tests/node_modules/axe-core" ]; then
  notok "playwright-core and axe-core are installed (run scripts/setup test)"
  exit 0
fi
node "$VAKSAM_ROOT/tests/browser/search.js" "$TMP/d/site" "$content"
