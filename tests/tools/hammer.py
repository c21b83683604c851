#!/usr/bin/env python3
"""hammer.py PORT STOPFILE PATH… — four threads fetch the paths from
127.0.0.1:PORT over and over until STOPFILE exists; prints "requests N bad K"
and one line per bad answer: a 200 whose body is empty, shorter than its
Content-Length, or (for .html) does not end the page. Test helper for
tests/sh/serve_hostile.sh."""
import http.client
import os
import sys
import threading

port, stop, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
lock = threading.Lock()
count = [0, 0]
bad_lines = []


def worker(k):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = k
    while not os.path.exists(stop):
        p = paths[i % len(paths)]
        i += 1
        try:
            conn.request("GET", p)
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        why = None
        if r.status == 200:
            clen = r.getheader("Content-Length")
            if not body:
                why = "empty body"
            elif clen is not None and int(clen) != len(body):
                why = "body %d of Content-Length %s" % (len(body), clen)
            elif p.endswith(".html") and b"</html>" not in body[-200:]:
                why = "page cut short (%d bytes)" % len(body)
        with lock:
            count[0] += 1
            if why:
                count[1] += 1
                bad_lines.append("%s: %s" % (p, why))


threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("requests %d bad %d" % (count[0], count[1]))
for line in bad_lines[:10]:
    print(line)
