#!/usr/bin/env python3
"""slowloris.py PORT N SECONDS — opens N connections to 127.0.0.1:PORT and
sends a request's headers one byte every second, never finishing them, for
SECONDS or until the server has closed every one; prints "open N" once all
are connected and "closed K" at the end (how many the server closed). Test helper for
tests/sh/serve_hostile.sh."""
import socket
import sys
import time

port, n, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /site/index.html HTTP/1.1\r\nHost: x\r\n")
    socks.append(s)
print("open", len(socks), flush=True)
closed = set()
end = time.time() + seconds
while time.time() < end and len(closed) < len(socks):
    for i, s in enumerate(socks):
        if i in closed:
            continue
        try:
            s.sendall(b"X")
            if s.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b"":
                closed.add(i)
        except BlockingIOError:
            pass
        except OSError:
            closed.add(i)
    time.sleep(1)
print("closed", len(closed), flush=True)
