#!/usr/bin/env bash
# Accessibility beyond axe, in headless Chromium, on one page of every page
# template of the sample site: reflow at 320 px (tables scroll inside their
# own labelled, focusable container), text zoom to 200 %, visible focus,
# forced colors and prefers-reduced-motion (tests/browser/reflow.js).
. "$(dirname "$0")/../lib.sh"
if [ ! -d "$VAKSAM_ROOT/tests/node_modules/playwright-core" ] || [ ! -x /usr/bin/chromium ]; then
  notok "chromium and playwright-core are installed (run scripts/setup test)"
  exit 0
fi
"$VAKSAM" build --content "$VAKSAM_ROOT/content" --theme "$THEME" -o "$TMP/d" -q >"$TMP/log" 2>&1
check "the sample site builds ($(tail -2 "$TMP/log"))" [ -f "$TMP/d/site/index.html" ]
v=kommunen/chef
pages=(
  index.html                                   # root: choose an organisation
  kommunen/index.html                          # organisation: choose a role
  $v/index.html                                # home of a variant
  $v/rutiner/index.html                        # a list
  $v/rutiner/efter-en-handelse.html            # routine (history table)
  $v/rutiner/gavor-mutor-och-jav.html          # routine with a Markdown table
  $v/begrepp/index.html                        # definitions
  $v/fall/kaffet-och-gavan.html                # case
  $v/checklistor/infor-hembesok.html           # checklist
  $v/apt/gavor-jav-och-mutor.html              # APT pack page
  $v/apt/gavor-jav-och-mutor/bildspel/index.html # slide view
  $v/sok.html                                  # search
  $v/granskning.html                           # review dashboard
  $v/granskning/hr-avdelningen.html            # the dashboard narrowed to one owner
  $v/arkiv/efter-en-handelse/2.2.html          # an archived version
  $v/arkiv/efter-en-handelse/2.3-andringar.html # what changed between two versions
  $v/krav.html                                 # coverage of the requirements
  $v/taggar/index.html                         # tags
  $v/taggar/larm.html                          # one tag
  404.html
  tillganglighet.html                          # accessibility statement
  kommunen/akutkort.html                       # emergency card (print)
)
shots=${VAKSAM_SHOTS:-$TMP/shots}
mkdir -p "$shots"
for p in "${pages[@]}"; do
  check "page exists: $p" [ -f "$TMP/d/site/$p" ]
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# the site at the path of site.yaml's base_url too, where the 404 page links
www=$TMP/www
mkdir -p "$www"
ln -s "$TMP/d/site" "$www/site"
base=$(grep -o 'href="[^"]*assets/style.css"' "$TMP/d/site/404.html" | sed 's/^href="//; s/assets\/style.css"$//')
if [ "$base" != /site/ ] && [ "$base" != / ]; then
  mkdir -p "$www$(dirname "$base")"
  ln -s "$TMP/d/site" "$www${base%/}"
fi
python3 -m http.server --bind 127.0.0.1 --directory "$www" "$port" >/dev/null 2>&1 &
http=$!
trap 'kill "$http" 2>/dev/null; rm -rf "$TMP"' EXIT
poll 20 curl -s -o /dev/null "http://127.0.0.1:$port/site/index.html"
(cd "$VAKSAM_ROOT/tests" && node browser/reflow.js "http://127.0.0.1:$port/site/" "$shots" "${pages[@]}") || true
