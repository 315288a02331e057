"""The image's HEALTHCHECK: exit 0 when the service answers ok on /health (PORT, default 8080)."""
import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT', '8080')}/health"
try:
    with urllib.request.urlopen(url, timeout=2) as response:
        sys.exit(0 if response.status == 200 and response.read() == b"ok\n" else 1)
except OSError:
    sys.exit(1)
