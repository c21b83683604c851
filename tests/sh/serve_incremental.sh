#!/usr/bin/env bash
# `vaksam serve` rebuilds incrementally: after every edit in a sequence on a
# copy of the sample content (a routine's body, a case shown in an APT pack,
# a routine's title, a definition, a new and a deleted document, broken and
# fixed front matter, site.yaml, a theme template), the served folder equals
# byte for byte what a fresh serve of the same content publishes (a full
# build with the same options), and body edits are rebuilt incrementally.
. "$(dirname "$0")/../lib.sh"
command -v curl >/dev/null || { notok "curl is installed"; exit 0; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

c=$TMP/content
cp -R "$VAKSAM_ROOT/content" "$c"
theme=$TMP/theme
cp -R "$THEME" "$theme"
log=$TMP/serve.log
port=$(free_port)
u=http://127.0.0.1:$port/site
"$VAKSAM" serve --content "$c" --theme "$theme" -o "$TMP/dist" --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TMP"' EXIT

builds() { grep -c -e 'built in' -e 'the build failed' "$log"; }
# quiet — until no build has been logged for a second
quiet() {
  local n
  n=$(builds)
  for _ in $(seq 1 60); do
    sleep 1
    [ "$(builds)" -eq "$n" ] && return 0
    n=$(builds)
  done
}
# edit DESCRIPTION COMMAND… — runs the edit, waits for its rebuild to finish
edit() {
  local d=$1 n
  shift
  n=$(builds)
  "$@"
  poll 60 bash -c "[ \$(grep -c -e 'built in' -e 'the build failed' '$log') -gt $n ]" ||
    notok "$d: rebuilt (log: $(tail -3 "$log"))"
  quiet
}
# same DESCRIPTION — the served folder equals a fresh serve's of the same content
k=0
same() {
  k=$((k + 1))
  local ref=$TMP/ref$k rlog=$TMP/ref$k.log p2 rpid
  p2=$(free_port)
  "$VAKSAM" serve --content "$c" --theme "$theme" -o "$ref" --port "$p2" >"$rlog" 2>&1 &
  rpid=$!
  poll 120 grep -q -e 'serving http' -e 'build failed' "$rlog"
  kill -TERM "$rpid"
  wait "$rpid"
  if diff -r "$ref" "$TMP/dist" >"$TMP/diff" 2>&1; then
    ok "$1: the served folder equals a full build"
  else
    notok "$1: the served folder equals a full build ($(head -c 6000 "$TMP/diff"))"
  fi
  rm -rf "$ref"
}
# the reference serves' logs stay until the end (sanitizer check)
last_incremental() { grep -e 'built in' -e 'the build failed' "$log" | tail -1 | grep -q '(incremental)'; }
not_incremental() { ! last_incremental; }

if ! poll 120 grep -q 'serving http' "$log"; then
  notok "serve starts (log: $(head -c 800 "$log"))"
  exit 0
fi
quiet
same "first build"

r=$c/routines/hot-i-mote.md
edit "routine body" sed -i '0,/lugn/s/lugn/LUGNT-TEST-ORD/' "$r"
check "a body edit is rebuilt incrementally" last_incremental
check "the edited routine page shows the new text" bash -c "curl -s '$u/kommunen/medarbetare/rutiner/hot-i-mote.html' | grep -q LUGNT-TEST-ORD"
check "the search index has the new word" bash -c "grep -rqi 'lugnt-test-ord\|\"lugnt\"' '$TMP/dist/site/kommunen/medarbetare/sok/'"
same "routine body"

edit "routine body again" sed -i 's/LUGNT-TEST-ORD/lugn/' "$r"
check "a second body edit is incremental too" last_incremental
same "routine body back"

cs=$c/cases/uthangd-i-sociala-medier.md
edit "case body (shown in an APT pack)" bash -c "echo 'Tillagd mening om APT-MARKÖR.' >>'$cs'"
check "a case body edit is incremental" last_incremental
check "the APT page showing the case follows" bash -c "grep -rl 'APT-MARKÖR' '$TMP/dist/site/kommunen/chef/apt/' | grep -q nar-det-har-hant"
same "case body"

edit "routine title" sed -i 's/^title: Hot eller hotfull situation vid möte och besök/title: Ny titel för mötesrutinen/' "$r"
check "a title edit is rebuilt incrementally" last_incremental
check "the routine list follows the new title" bash -c "curl -s '$u/kommunen/medarbetare/rutiner/index.html' | grep -q 'Ny titel för mötesrutinen'"
same "routine title"

edit "definition" sed -i 's/^summary: Att med ord, gester/summary: Att med ORD, gester/' "$c/definitions/hot.md"
check "a definition edit is rebuilt incrementally" last_incremental
check "the glossary follows the definition" bash -c "curl -s '$u/kommunen/medarbetare/begrepp/index.html' | grep -q 'Att med ORD, gester'"
same "definition"

edit "new document" bash -c "sed -e 's/^id: hot-i-mote/id: ny-testrutin/' -e 's/^title: .*/title: En ny testrutin/' '$r' >'$c/routines/ny-testrutin.md'"
check "the new routine has its page" bash -c "curl -s '$u/kommunen/medarbetare/rutiner/ny-testrutin.html' | grep -q 'En ny testrutin'"
same "new document"

edit "deleted document" rm "$c/routines/ny-testrutin.md"
check "a deleted document is a full rebuild" not_incremental
check "the deleted routine's page is gone" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/kommunen/medarbetare/rutiner/ny-testrutin.html')\" = 404 ]"
same "deleted document"

cp "$r" "$TMP/good.md"
edit "broken front matter" sed -i 's/^id: hot-i-mote/id: [trasig/' "$r"
check "broken front matter shows the error page" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/kommunen/medarbetare/rutiner/index.html')\" = 500 ]"
edit "fixed front matter" cp "$TMP/good.md" "$r"
check "the fixed site is served again" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/kommunen/medarbetare/rutiner/index.html')\" = 200 ]"
same "fixed front matter"

edit "site.yaml" sed -i 's/^title: Vaksam – Exempelkommun/title: Vaksam – Testkommun/' "$c/site.yaml"
check "site.yaml is a full rebuild" not_incremental
same "site.yaml"

edit "theme template" bash -c "sed -i 's|</footer>|<p>MALL-MARKÖR</p></footer>|' '$theme/templates/layout.mustache'"
check "the template change shows on pages" bash -c "curl -s '$u/index.html' | grep -q 'MALL-MARKÖR'"
same "theme template"

edit "routine body after the full builds" sed -i '0,/lugn/s/lugn/SISTA-ORD/' "$r"
check "body edits are incremental again after full builds" last_incremental
same "routine body after full builds"

# The content folder replaced as a whole (a checkout into a new folder,
# renamed into place): the next build reads the new folder, not the one it
# opened before (safepath keeps a root open for one build only).
replace_content() {
  cp -R "$c" "$c.new" &&
    sed -i '0,/SISTA-ORD/s/SISTA-ORD/ERSATT-MAPP-ORD/' "$c.new/routines/hot-i-mote.md" &&
    mv "$c" "$c.old" && mv "$c.new" "$c" && rm -rf "$c.old"
}
edit "content folder replaced" replace_content
check "a replaced content folder: the page shows the new folder's text" \
  bash -c "curl -s '$u/kommunen/medarbetare/rutiner/hot-i-mote.html' | grep -q 'ERSATT-MAPP-ORD'"
same "content folder replaced"

kill -INT "$pid"
wait "$pid"
rc_serve=$?
check "serve stops with exit 0 (log: $(grep -A3 -m1 -e Sanitizer -e 'runtime error' "$log" | head -c 600))" [ $rc_serve -eq 0 ]
check "no sanitizer report" bash -c "! cat '$log' '$TMP'/ref*.log 2>/dev/null | grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error'"
