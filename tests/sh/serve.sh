#!/usr/bin/env bash
# `vaksam serve`: binds 127.0.0.1 only, serves dist/ with the right types,
# refuses everything outside it, allows only GET/HEAD, rebuilds on save
# (content, theme, new subfolders), announces rebuilds on the event stream,
# shows content errors as an error page until fixed, starts even when the
# first build fails, stops with exit 0 on SIGINT and SIGTERM. With Chromium
# and playwright-core present, a real page reloads itself after a save.
. "$(dirname "$0")/../lib.sh"
command -v curl >/dev/null || { notok "curl is installed"; exit 0; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# wait_up PORT PID — until the server answers (or has died).
wait_up() {
  for _ in $(seq 1 150); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# poll SECONDS COMMAND… — until the command succeeds.
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
ctype() { curl -s -o /dev/null -w '%{content_type}' "$@"; }
body_has() { curl -s "$1" | grep -q -- "$2"; }

c=$(fresh_content site)
theme=$TMP/theme
cp -R "$THEME" "$theme"
port=$(free_port)
u=http://127.0.0.1:$port
"$VAKSAM" serve --content "$c" --theme "$theme" -o "$TMP/dist" --port "$port" >"$TMP/serve.log" 2>&1 &
pid=$!
if ! wait_up "$port" "$pid"; then
  notok "serve starts and answers (log: $(head -c 800 "$TMP/serve.log"))"
  kill "$pid" 2>/dev/null
  exit 0
fi
ok "serve starts and answers"

# -- binding, paths, types
if command -v ss >/dev/null; then
  listen=$(ss -Hltn "sport = :$port" | awk '{print $4}' | sort -u | tr '\n' ' ')
  check "listens on 127.0.0.1 only ($listen)" [ "$listen" = "127.0.0.1:$port " ]
fi
check "/ redirects to the site" [ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$u/")" = "302 $u/site/index.html" ]
check "the start page is 200 text/html" bash -c "[ '$(code "$u/site/index.html")' = 200 ] && [[ '$(ctype "$u/site/index.html")' == text/html* ]]"
check "pages include the reload script" body_has "$u/site/index.html" 'assets/reload.js'
check "a folder serves its index.html" body_has "$u/site/kommunen/medarbetare/checklistor/" 'efter-samtalet.html'
check "a folder without its slash redirects to it" [ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$u/site/kommunen")" = "301 $u/site/kommunen/" ]
check "css is text/css" bash -c "[[ '$(ctype "$u/site/assets/style.css")' == text/css* ]]"
check "js is text/javascript" bash -c "[[ '$(ctype "$u/site/assets/site.js")' == text/javascript* ]]"
check "json is application/json" [ "$(ctype "$u/site/kommunen/medarbetare/sok/idx-t.json")" = application/json ]
check "xml is application/xml" [ "$(ctype "$u/site/sitemap.xml")" = application/xml ]
check "csv is text/csv" bash -c "[[ '$(ctype "$u/review.csv")' == text/csv* ]]"
check "the reload script is served for error pages" bash -c "[ '$(code "$u/__vaksam/reload.js")' = 200 ] && curl -s '$u/__vaksam/reload.js' | grep -q EventSource"
check "a missing page is 404 with the site's 404 page" bash -c "[ '$(code "$u/site/finns-inte.html")' = 404 ] && curl -s '$u/site/finns-inte.html' | grep -q 'Sidan finns inte'"
check "HEAD is answered without a body" [ "$(curl -s --head -o /dev/null -w '%{http_code} %{size_download}' "$u/site/index.html")" = "200 0" ]

# refused: status must not be 200 and /etc/passwd must never appear
refused() { # description, curl args…
  local d=$1
  shift
  local st
  st=$(curl -s -o "$TMP/r.body" -w '%{http_code}' --path-as-is "$@")
  if [ "$st" != 200 ] && ! grep -q 'root:' "$TMP/r.body"; then ok "$d ($st)"; else notok "$d (status $st)"; fi
}
up=../../../../../../../../../../../..
refused "../ is refused" "$u/$up/etc/passwd"
refused "../ inside the site is refused" "$u/site/$up/etc/passwd"
refused "encoded %2e%2e is refused" "$u/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"
refused "upper-case %2E%2E is refused" "$u/site/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd"
refused "double-encoded %252e is refused" "$u/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/etc/passwd"
refused "backslashes are refused" "$u/site/..%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd"
refused "an encoded slash is refused" "$u/site%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd"
ln -s /etc "$TMP/dist/site/utanfor"
ln -s /etc/passwd "$TMP/dist/site/losen.txt"
refused "a symlinked folder pointing out is refused" "$u/site/utanfor/passwd"
refused "a symlinked file pointing out is refused" "$u/site/losen.txt"
check "POST is 405 with Allow: GET, HEAD" bash -c "curl -s -D - -o /dev/null -X POST -d x=1 '$u/site/index.html' | tr -d '\r' | grep -q '^Allow: GET, HEAD' && [ '$(code -X POST "$u/site/index.html")' = 405 ]"
check "PUT and DELETE are 405" bash -c "[ '$(code -X PUT "$u/site/index.html")' = 405 ] && [ '$(code -X DELETE "$u/site/index.html")' = 405 ]"

# -- event stream, rebuild on save
curl -s -N -D "$TMP/ev.head" --max-time 30 "$u/__vaksam/events" >"$TMP/events" &
ev=$!
poll 5 grep -q 'event: hello' "$TMP/events"
check "the event stream is text/event-stream" grep -qi '^content-type: text/event-stream' "$TMP/ev.head"
check "the event stream greets with the build token" grep -q '^event: hello' "$TMP/events"
page=$u/site/kommunen/medarbetare/rutiner/hot-i-telefon.html
check "the routine page is served" body_has "$page" "Behåll lugnet"
sed -i 's/Behåll lugnet/Behåll ALLTID lugnet/' "$c/routines/hot-i-telefon.md"
check "a saved change is rebuilt and served" poll 15 body_has "$page" "Behåll ALLTID lugnet"
check "the event stream announces the rebuild" poll 5 grep -q '^event: reload' "$TMP/events"
check "a body edit is rebuilt incrementally" poll 5 bash -c "grep 'built in' '$TMP/serve.log' | tail -1 | grep -q '(incremental)'"
refused "after an incremental rebuild a planted symlink is still refused" "$u/site/utanfor/passwd"

echo '.vaksam-test-marker { color: red }' >>"$theme/assets/style.css"
check "a theme change is rebuilt" poll 15 body_has "$u/site/assets/style.css" "vaksam-test-marker"
check "a full rebuild replaced the folder (the planted symlinks are gone)" [ ! -e "$TMP/dist/site/utanfor" ]
mkdir "$theme/assets/ny"
sleep 1 # the new folder's own rebuild; then a file in it must still be seen
echo '.ny{}' >"$theme/assets/ny/extra.css"
check "a file in a new subfolder is watched and rebuilt" poll 15 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/site/assets/ny/extra.css')\" = 200 ]"
builds() { grep -c 'built in' "$TMP/serve.log"; }
n_before=$(builds)
for _ in $(seq 1 20); do sleep 0.5; [ "$(builds)" -eq "$n_before" ] && break; n_before=$(builds); done
touch "$c/routines/.hot-i-telefon.md.swp" "$c/routines/hot-i-telefon.md~"
sleep 0.8
check "editor swap and backup files do not rebuild" [ "$(builds)" -eq "$n_before" ]

# -- content errors
cp "$c/routines/hot-i-telefon.md" "$TMP/good.md"
sed -i 's/^id: hot-i-telefon/id: <script>x/' "$c/routines/hot-i-telefon.md"
check "a content error shows as an error page (500)" poll 15 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$page')\" = 500 ]"
curl -s "$page" >"$TMP/errpage"
check "the error page names file:line:col" grep -Eq 'routines/hot-i-telefon.md:[0-9]+:[0-9]+: error' "$TMP/errpage"
check "the error page escapes the message" bash -c "grep -q '&lt;script&gt;x' '$TMP/errpage' && ! grep -q '<script>x' '$TMP/errpage'"
check "every page shows the errors" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$u/site/index.html')\" = 500 ]"
check "assets of the last good site are still served" [ "$(code "$u/site/assets/style.css")" = 200 ]
check "the terminal shows the error too" grep -Eq 'hot-i-telefon.md:[0-9]+:[0-9]+: error' "$TMP/serve.log"
check "the failed build is announced on the event stream" poll 5 bash -c "[ \$(grep -c '^event: reload' '$TMP/events') -ge 2 ]"
cp "$TMP/good.md" "$c/routines/hot-i-telefon.md"
check "fixing the file brings the page back" poll 15 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$page')\" = 200 ]"
check "the page is the fixed one" body_has "$page" "Behåll ALLTID lugnet"

# -- the browser reloads by itself
if [ -x /usr/bin/chromium ] && [ -d "$VAKSAM_ROOT/tests/node_modules/playwright-core" ]; then
  NODE_PATH=$VAKSAM_ROOT/tests/node_modules timeout 60 node -e '
const { chromium } = require("playwright-core");
const { execSync } = require("child_process");
const [url, file] = process.argv.slice(1);
(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"] });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.evaluate(() => { window.vaksamMarker = 1; });
    await page.waitForTimeout(500); /* the event stream is open */
    execSync(`sed -i "s/Behåll ALLTID lugnet/Behåll ALLTID och ALLTID lugnet/" "${file}"`);
    await page.waitForFunction(() => !window.vaksamMarker && document.body &&
      document.body.textContent.includes("ALLTID och ALLTID"), null, { timeout: 20000 });
    console.log("ok - the open page reloads itself after a save");
  } catch (e) {
    console.log("not ok - the open page reloads itself after a save: " + e.message.split("\n")[0]);
  }
  await browser.close();
})();
' "$page" "$c/routines/hot-i-telefon.md"
fi

# -- bounded: at most 32 event streams, pages still served, closed streams free their place
kill "$ev" 2>/dev/null
# Count established connections whose local port is the server's.
server_conns() { awk -v p="$(printf '%04X' "$port")" '$2 ~ ":"p"$" && $4 == "01"' /proc/net/tcp | wc -l; }
no_conns() { [ "$(server_conns)" -eq 0 ]; }
# Streams of the tests above must have given back their places first (the
# server notices a closed stream within a second).
poll 20 no_conns
sleep 1.5
streams=()
for _ in $(seq 1 32); do
  curl -s -N --max-time 30 "$u/__vaksam/events" >/dev/null &
  streams+=($!)
done
# Wait until the server holds all 32 (a loaded machine connects them slowly).
all_streams_open() { [ "$(server_conns)" -ge 32 ]; }
poll 20 all_streams_open
sleep 0.2
c33=$(code --max-time 5 "$u/__vaksam/events")
check "a 33rd event stream is refused (503; got $c33)" [ "$c33" = 503 ]
check "pages are served while 32 streams are open" [ "$(code --max-time 5 "$u/site/index.html")" = 200 ]
kill "${streams[@]}" 2>/dev/null
wait "${streams[@]}" 2>/dev/null
stream_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$u/__vaksam/events")" = 200 ]; }
check "closed streams free their place within seconds" poll 5 stream_ok

kill "$ev" 2>/dev/null
kill -INT "$pid"
wait "$pid"
rc=$?
check "SIGINT stops the server with exit 0" [ "$rc" -eq 0 ]
check "the port is closed afterwards" [ "$(code "$u/site/index.html")" = 000 ]
check "no sanitizer report" bash -c "! grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error' '$TMP/serve.log'"

# -- a first build that fails still serves the errors; SIGTERM stops it
b=$(fresh_content broken)
sed -i 's/^title: Hot i telefon/title: [trasig/' "$b/routines/hot-i-telefon.md"
port2=$(free_port)
"$VAKSAM" serve --content "$b" --theme "$theme" -o "$TMP/dist2" --port "$port2" -q >"$TMP/serve2.log" 2>&1 &
pid2=$!
if wait_up "$port2" "$pid2"; then
  ok "serve starts although the first build fails"
  check "the error page is shown (500, file:line)" bash -c "[ \"\$(curl -s -o '$TMP/e2' -w '%{http_code}' 'http://127.0.0.1:$port2/site/index.html')\" = 500 ] && grep -Eq 'hot-i-telefon.md:3:[0-9]+: error' '$TMP/e2'"
  sed -i 's/^title: \[trasig/title: Hot i telefon/' "$b/routines/hot-i-telefon.md"
  check "fixing it builds the site" poll 15 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:$port2/site/index.html')\" = 200 ]"
  # -- a taken port is a clear error
  "$VAKSAM" serve --content "$b" --theme "$theme" -o "$TMP/dist3" --port "$port2" -q >"$TMP/serve3.log" 2>&1
  rc3=$?
  check "a port in use exits 2 with a message" bash -c "[ $rc3 -eq 2 ] && grep -q 'cannot listen on 127.0.0.1:$port2' '$TMP/serve3.log'"
  check "a port in use leaves the output folder alone" [ ! -e "$TMP/dist3" ]
  kill -TERM "$pid2"
  wait "$pid2"
  check "SIGTERM stops the server with exit 0" [ $? -eq 0 ]
else
  notok "serve starts although the first build fails (log: $(head -c 800 "$TMP/serve2.log"))"
  kill "$pid2" 2>/dev/null
fi

# -- the output folder may not lie inside a watched folder
"$VAKSAM" serve --content "$b" --theme "$theme" -o "$b/dist" --port "$(free_port)" -q >"$TMP/serve4.log" 2>&1
rc4=$?
check "an output folder inside the content folder is refused (exit 2)" bash -c "[ $rc4 -eq 2 ] && grep -q 'inside the content or theme folder' '$TMP/serve4.log'"
"$VAKSAM" serve --content "$b" --theme "$theme" -o "$TMP" --port "$(free_port)" -q >"$TMP/serve5.log" 2>&1
rc5=$?
check "an output folder around the content folder is refused (exit 2), content kept" bash -c "[ $rc5 -eq 2 ] && grep -q 'contains the content or theme folder' '$TMP/serve5.log' && [ -f '$b/site.yaml' ]"
check "a refused output folder is not left behind" [ ! -e "$b/dist" ]

# -- --format: the default previews HTML only; an explicit list is kept
check "without --format a preview has no handouts or packs" bash -c "! find '$TMP/dist2/site' -name '*.od[tp]' -o -name '*.zip' | grep -q . && [ -d '$TMP/dist2/site' ]"
port6=$(free_port)
"$VAKSAM" serve --content "$b" --theme "$theme" -o "$TMP/dist6" --port "$port6" --format html,odt,odp -q >"$TMP/serve6.log" 2>&1 &
pid6=$!
if wait_up "$port6" "$pid6" && poll 60 bash -c "[ -d '$TMP/dist6/site' ]"; then
  check "an explicit --format html,odt,odp builds handouts" bash -c "find '$TMP/dist6/site' -path '*/dokument/*.odt' | grep -q ."
  check "an explicit --format html,odt,odp builds packs" bash -c "find '$TMP/dist6/site' -path '*/apt/*' -name '*.odp' | grep -q ."
else
  notok "serve --format html,odt,odp starts (log: $(head -c 800 "$TMP/serve6.log"))"
fi
kill -INT "$pid6" 2>/dev/null
wait "$pid6"
