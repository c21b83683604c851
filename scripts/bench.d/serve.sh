# scripts/bench.d/serve.sh — `vaksam serve`: time from saving one routine to
# the reload event on the page's event stream (sourced by scripts/bench, which
# sets BIN, W, now, calc). Runs on a copy of the sample content (content/):
# starts serve, then edits a routine's body several times (and, for
# comparison, its title and a definition), each time opening an event
# stream, writing the file and waiting for `event: reload`. Prints the median
# of the body edits (target < 100 ms: issue #7) and serve's own build times.
S=$W/serve
rm -rf "$S" && mkdir -p "$S" && cp -R content "$S/content"
S_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --content "$S/content" -o "$S/out" --port "$S_PORT" >"$S/log" 2>&1 &
S_PID=$!
for _ in $(seq 1 300); do grep -q 'serving http' "$S/log" && break || sleep 0.1; done
if ! python3 - "$S_PORT" "$S/content" "${SERVE_EDITS:-9}" <<'PY'
import socket, statistics, sys, time
port, content, edits = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
routine = content + "/routines/hot-i-mote.md"
definition = content + "/definitions/hot.md"

def stream():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__vaksam/events HTTP/1.1\r\nHost: x\r\n\r\n")
    return s

def wait_for(s, marker, buf=b""):
    while marker not in buf:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("event stream closed")
        buf += chunk
    return buf

def timed(edit):
    s = stream()
    wait_for(s, b"event: hello")
    time.sleep(0.3)  # settle: nothing else pending
    t0 = time.monotonic()
    edit()
    wait_for(s, b"event: reload")
    ms = (time.monotonic() - t0) * 1000
    s.close()
    time.sleep(0.2)
    return ms

def rewrite(path, old, new):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))

with open(routine, encoding="utf-8") as f:
    original = f.read()
body = []
for i in range(edits):
    def edit(i=i):
        with open(routine, "w", encoding="utf-8") as f:
            f.write(original + "\nTillagd rad nummer %d i benchmarken.\n" % i)
    body.append(timed(edit))
title = timed(lambda: rewrite(routine, "title: Hot eller hotfull", "title: Hot eller HOTFULL"))
term = timed(lambda: rewrite(definition, "summary: Att med ord", "summary: Att med ORD"))
print("%-42s %8.1f ms  (target < 100; runs: %s)" % ("serve: routine body saved → reload event, median",
      statistics.median(body), " ".join("%.0f" % x for x in body)))
print("%-42s %8.1f ms" % ("serve: routine title saved → reload event", title))
print("%-42s %8.1f ms" % ("serve: definition saved → reload event", term))
PY
then
  echo "(serve benchmark failed: $(tail -3 "$S/log"))"
fi
kill -TERM "$S_PID" 2>/dev/null || true
wait "$S_PID" 2>/dev/null || true
echo "serve's own build times (ms): $(grep -o 'built in [0-9]* ms[^(]*(incremental)' "$S/log" | grep -o '[0-9]*' | tr '\n' ' ')"
