#!/usr/bin/env bash
# The main job, for real: build the CLI, show the demo image's Dockerfile and config (examples/demo/image.ts),
# build it on a BuildKit engine with live progress, run it, and print what its HTTP service answers.
#
# The engine: DOCKER_HOST when set, else /var/run/docker.sock, else this project's engine B or A
# (scripts/engine.sh); when none answers, engine B is started (about 90-110 s the first time on a fresh
# machine: Debian packages, a trixie chroot, the base images). The demo needs a Docker Engine (it runs the
# image through the Engine API), so a BUILDKIT_HOST alone is not used.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm exec turbo run build --filter=@chutes/demo... --output-logs=errors-only >&2
cli=(node apps/demo/dist/cli.js)
definition=examples/demo/image.ts
tag=chutes-demo/hello-inference:0.1.0

echo "== chutes-image render $definition"
"${cli[@]}" render "$definition"
echo
echo "== chutes-image inspect $definition"
"${cli[@]}" inspect "$definition"
echo

if ! engine=$(node scripts/demo-engine.mjs find); then
  if [ -n "${DOCKER_HOST:-}" ]; then exit 1; fi
  echo "demo: no Docker Engine answers; starting this project's engine B (bash scripts/engine.sh up b)" >&2
  bash scripts/engine.sh up b >&2
  engine=docker+unix:///run/chutes-image/b/docker.sock
fi

echo "== chutes-image build $definition --tag $tag --network host   (engine: $engine)"
"${cli[@]}" build "$definition" --tag "$tag" --network host --engine "$engine"
echo
echo "== running $tag"
node scripts/demo-engine.mjs run "$engine" "$tag" 8000
