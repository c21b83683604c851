#!/usr/bin/env bash
# `vaksam new` scaffolds documents; `vaksam serve` serves the site, refuses
# paths out of it, reloads after a change and shows content errors.
. "$(dirname "$0")/../lib.sh"
c=$(fresh_content scaffold)
run_vaksam new routine "Hot på parkeringen – åtgärder" --content "$c" --today 2026-11-24
check "new prints the path" grep -q "routines/hot-pa-parkeringen-atgarder.md" "$TMP/out"
f=$c/routines/hot-pa-parkeringen-atgarder.md
check "new writes a draft with version and today's date" bash -c "grep -q '^status: draft' '$f' && grep -q '^version: \"0.1\"' '$f' && grep -q '^approved: 2026-11-24' '$f'"
run_vaksam check --content "$c"
check "the new document passes check" [ "$RC" -eq 0 ]
expect_fail "new refuses to overwrite" 1 "already exists" new routine "Hot på parkeringen – åtgärder" --content "$c"
expect_fail "new with an unknown kind is a usage error" 2 "unknown kind 'rutin'" new rutin "X" --content "$c"

command -v curl >/dev/null || { notok "curl is installed"; exit 0; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18089)
s=$(fresh_content serve)
"$VAKSAM" serve --content "$s" --theme "$THEME" -o "$TMP/sd" --port "$port" -q >"$TMP/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/site/index.html" && break; sleep 0.2; done
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
ctype() { curl -s -o /dev/null -w '%{content_type}' "$@"; }
u=http://127.0.0.1:$port
check "serves the site (200)" [ "$(code "$u/site/index.html")" = 200 ]
check "html content type" bash -c "[[ '$(ctype "$u/site/index.html")' == text/html* ]]"
check "css content type" bash -c "[[ '$(ctype "$u/site/assets/style.css")' == text/css* ]]"
check "/ redirects to the site" [ "$(code "$u/")" = 302 ]
check "a missing page is 404" [ "$(code "$u/site/nope.html")" = 404 ]
check "../ is refused" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --path-as-is '$u/../../../../../../../../../../../../etc/passwd')\" != 200 ]"
check "encoded ../ is refused" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --path-as-is '$u/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd')\" != 200 ]"
ln -s /etc "$TMP/sd/site/utanfor"
check "a symlink out of the folder is refused" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/site/utanfor/passwd')\" != 200 ]"
check "POST is not allowed (405)" [ "$(code -X POST "$u/site/index.html")" = 405 ]
page=$u/site/kommunen/medarbetare/rutiner/hot-i-telefon.html
sed -i 's/Behåll lugnet/Behåll ALLTID lugnet/' "$s/routines/hot-i-telefon.md"
found=0
for _ in $(seq 1 50); do curl -s "$page" | grep -q "Behåll ALLTID lugnet" && { found=1; break; }; sleep 0.2; done
check "a saved change is rebuilt and served" [ "$found" -eq 1 ]
sed -i 's/^title: Hot i telefon/title: [trasig/' "$s/routines/hot-i-telefon.md"
found=0
for _ in $(seq 1 50); do curl -s "$page" | grep -Eq "hot-i-telefon.md:[0-9]+:[0-9]+: error" && { found=1; break; }; sleep 0.2; done
check "a content error shows in the browser with file:line" [ "$found" -eq 1 ]
sed -i 's/^title: \[trasig/title: Hot i telefon/' "$s/routines/hot-i-telefon.md"
found=0
for _ in $(seq 1 50); do [ "$(code "$page")" = 200 ] && { found=1; break; }; sleep 0.2; done
check "fixing the file brings the page back" [ "$found" -eq 1 ]
kill -INT "$pid"
wait "$pid"
check "Ctrl-C stops the server with exit 0" [ $? -eq 0 ]
