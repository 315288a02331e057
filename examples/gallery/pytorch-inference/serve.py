"""Serves a Hugging Face text-classification model on the GPU.

POST /predict {"inputs": ["I love this", "not great"]} answers [{"label": "POSITIVE", "score": 0.99}, ...];
GET /health answers ok once the model is loaded. The model comes from the Hub on first start (MODEL_ID), into
HF_HOME: mount a volume there to keep it between containers. `python serve.py --check` is the healthcheck.
"""
import json
import os
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "8000"))


def check():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def serve():
    import torch
    from transformers import pipeline

    device = 0 if torch.cuda.is_available() else -1
    classifier = pipeline("text-classification", model=os.environ["MODEL_ID"], device=device)
    print(f"loaded {os.environ['MODEL_ID']} on {'cuda:0' if device == 0 else 'cpu'}", flush=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/health":
                self.reply(200, {"status": "ok", "cuda": torch.cuda.is_available()})
            else:
                self.reply(404, {"error": "not found"})

        def do_POST(self):
            if self.path != "/predict":
                self.reply(404, {"error": "not found"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                inputs = json.loads(self.rfile.read(length))["inputs"]
            except (ValueError, KeyError, TypeError):
                self.reply(400, {"error": 'send {"inputs": ["text", ...]}'})
                return
            with torch.inference_mode():
                self.reply(200, classifier(inputs))

        def reply(self, status, body):
            data = (json.dumps(body) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()


if __name__ == "__main__":
    sys.exit(check() if sys.argv[1:] == ["--check"] else serve())
