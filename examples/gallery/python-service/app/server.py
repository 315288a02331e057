"""The service: GET / answers with a JSON greeting, GET /health with ok. Standard library only."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.reply(200, "text/plain", b"ok\n")
        elif self.path == "/":
            body = {"service": "python-service", "python": sys.prefix, "uid": os.getuid()}
            self.reply(200, "application/json", (json.dumps(body, sort_keys=True) + "\n").encode())
        else:
            self.reply(404, "text/plain", b"not found\n")

    def reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # One line per request on stdout (the container's log), not stderr.
        print(f"{self.address_string()} {format % args}", flush=True)


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    print(f"python-service listening on :{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
