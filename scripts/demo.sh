#!/usr/bin/env bash
# The main job: build the CLI and run it on the demo image definition (examples/demo/image.ts):
# render its Dockerfile and print the image config it produces.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm exec turbo run build --filter=@chutes/demo... --output-logs=errors-only >&2
node apps/demo/dist/cli.js render examples/demo/image.ts
echo
node apps/demo/dist/cli.js inspect examples/demo/image.ts
