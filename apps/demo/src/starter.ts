// The files `chutes-image init` writes: a small Python HTTP service and the image that runs it. The image renders,
// lints without findings and builds on any engine that has (or maps) its base; nothing in it needs the network at
// build time, so `--base-map python:3.12-slim=<a local Debian>` builds it offline.

/** The base image of the starter: Debian with Python 3.12. */
export const STARTER_BASE = "python:3.12-slim";

/** The starter's files, relative to the directory `init` writes into, in the order they are written. */
export function starterFiles(name: string): readonly { readonly path: string; readonly text: string }[] {
  return [
    { path: "image.ts", text: imageTs(name) },
    { path: ".dockerignore", text: DOCKERIGNORE },
    { path: "app/main.py", text: MAIN_PY },
  ];
}

/** An image name from a directory name: lower case, `-` between words, `my-app` when nothing is left. */
export function starterName(directory: string): string {
  const name = directory
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return name === "" ? "my-app" : name;
}

function imageTs(name: string): string {
  return `// The image, as TypeScript: every call returns a new Image, problems are reported with this file's lines.
//   chutes-image render image.ts   the Dockerfile
//   chutes-image lint image.ts     best-practice findings, each with a fix
//   chutes-image build image.ts    build it on BuildKit (the Docker Engine's, or a buildkitd)
import { Image } from "@chutes/image-core";

// new Image(username, name, tag, readme): use your Chutes username, and a version tag rather than "latest".
export const image = new Image("myuser", ${JSON.stringify(name)}, "0.1.0", ${JSON.stringify(`# ${name}\n\nA small HTTP service.`)})
  // Debian with Python 3.12. The Chutes SDK's default base is parachutes/python:3.12; for CUDA / PyTorch bases
  // whose versions fit together, see \`chutes-image presets\` (e.g. chutes-image presets resolve torch=2.7 gpu=H100).
  .fromBase(${JSON.stringify(STARTER_BASE)})
  .withEnv("PYTHONUNBUFFERED", "1")
  .withEnv("PYTHONDONTWRITEBYTECODE", "1")
  // Dependencies before code, so a code change does not reinstall them. With a requirements.txt:
  //   .copy("requirements.txt", "/app/requirements.txt")
  //   .runCommand("pip install --no-cache-dir -r /app/requirements.txt")
  .runCommand("useradd --create-home --uid 1000 app")
  .setWorkdir("/app")
  .copy("app/", "./", { chown: "1000:1000" })
  .setUser("app")
  .exposePort(8000)
  .withCmd(["python", "main.py"]);
`;
}

const DOCKERIGNORE = `# Never sent to the engine. (chutes-image sends only what the image's copy/add steps name, minus these.)
.git
.venv
.env
node_modules
**/__pycache__
**/*.pyc
`;

const MAIN_PY = `"""A small HTTP service: GET any path, get JSON back. Replace it with your app."""

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = 8000


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"status": "ok", "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    print(f"listening on port {PORT}")
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
`;
