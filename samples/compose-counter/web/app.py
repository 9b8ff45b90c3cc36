# web: a page counter. Each GET / asks redis to INCR "hits" and prints the new value.
# Only the standard library: http.server for the page, a socket speaking redis' protocol (RESP) for the count,
# so the image builds offline from the baked python image (no pip install).
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIS_HOST = os.environ.get("REDIS_HOST", "redis")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))


def redis_command(*words):
    """Send one command to redis and return its reply line (":12" for an integer, "+PONG" for a status)."""
    request = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as conn:
        conn.sendall(request.encode())
        return conn.makefile("rb").readline().decode().strip()


class Counter(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body, status = redis_command("PING") + "\n", 200
        else:
            try:
                hits = redis_command("INCR", "hits").lstrip(":")
                body, status = f"Hello from {socket.gethostname()}: I have been seen {hits} times.\n", 200
            except OSError as err:
                body, status = f"cannot reach redis at {REDIS_HOST}:{REDIS_PORT}: {err}\n", 503
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, fmt, *args):
        # one line per request on stdout, so `docker compose logs -f web` shows the traffic
        print(f"{self.address_string()} {fmt % args}", flush=True)


if __name__ == "__main__":
    # as PID 1 in its container python gets no default SIGTERM handling: without this, `docker compose
    # down` (and docker stop) waits its 10 s and then kills it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"counter listening on :5000, redis at {REDIS_HOST}:{REDIS_PORT}", flush=True)
    ThreadingHTTPServer(("", 5000), Counter).serve_forever()
