#!/usr/bin/env bash
# `vaksam serve` under hostile or unlucky clients: 200 connections that send
# their headers a byte a second do not stop it answering a normal request,
# and it closes them (they never finish their headers);
# requests during repeated rebuilds never get a 200 whose body is empty or
# shorter than its Content-Length, or a page cut short.
. "$(dirname "$0")/../lib.sh"
command -v curl >/dev/null || { notok "curl is installed"; exit 0; }
command -v python3 >/dev/null || { notok "python3 is installed"; exit 0; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
c=$TMP/content
cp -R "$VAKSAM_ROOT/content" "$c"
log=$TMP/serve.log
port=$(free_port)
u=http://127.0.0.1:$port
"$VAKSAM" serve --content "$c" --theme "$THEME" -o "$TMP/dist" --port "$port" >"$log" 2>&1 &
pid=$!
slow=
trap 'kill $slow "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TMP"' EXIT
if ! poll 120 grep -q 'serving http' "$log"; then
  notok "serve starts (log: $(head -c 800 "$log"))"
  exit 0
fi

# -- slow headers: a guard of 20 s, far above a normal answer
python3 "$VAKSAM_ROOT/tests/tools/slowloris.py" "$port" 200 30 >"$TMP/slow.out" 2>&1 &
slow=$!
poll 20 grep -q '^open' "$TMP/slow.out"
st=$(curl -s -o /dev/null -m 20 -w '%{http_code}' "$u/site/index.html")
check "with 200 slow-header connections open, a normal request is answered ($st; $(cat "$TMP/slow.out"))" [ "$st" = 200 ]
st=$(curl -s -o /dev/null -m 20 -w '%{http_code}' "$u/site/assets/style.css")
check "… and a second one ($st)" [ "$st" = 200 ]
wait "$slow" 2>/dev/null
slow=
check "the server closes connections that never finish their headers ($(tail -1 "$TMP/slow.out"))" grep -qx 'closed 200' "$TMP/slow.out"

# -- requests during rebuilds: a full build (site.yaml touched) and
# incremental ones (a routine's body) in turn, while four clients fetch the
# pages those rebuilds rewrite
routine=$c/routines/efter-en-handelse.md
pages=(/site/index.html /site/tillganglighet.html /site/sitemap.xml /site/assets/style.css)
for f in "$TMP"/dist/site/*/*/rutiner/efter-en-handelse.html "$TMP"/dist/site/kommunen/*/sok/*.json; do
  pages+=("${f#"$TMP/dist"}")
done
python3 "$VAKSAM_ROOT/tests/tools/hammer.py" "$port" "$TMP/stop" "${pages[@]}" >"$TMP/hammer.out" 2>&1 &
hammer=$!
n0=$(grep -c 'built in' "$log")
for i in $(seq 1 12); do
  if [ $((i % 4)) = 0 ]; then echo "# $i" >>"$c/site.yaml"; else echo "Rad $i." >>"$routine"; fi
  poll 60 bash -c "[ \$(grep -c 'built in' '$log') -gt $((n0 + i - 1)) ]"
done
touch "$TMP/stop"
wait "$hammer"
check "no 200 with an empty or truncated body during 12 rebuilds ($(head -c 600 "$TMP/hammer.out"))" \
  grep -q ' bad 0$' "$TMP/hammer.out"
check "the server rebuilt meanwhile ($(($(grep -c 'built in' "$log") - n0)) builds)" [ "$(($(grep -c 'built in' "$log") - n0))" -ge 12 ]
