#!/usr/bin/env node
// The rebuild benchmark: `pnpm bench:rebuild` (or `node bench/rebuild/run.mjs` once apps/demo and its packages are
// built). The demo image (examples/demo/image.ts), already built once by each tool, is rebuilt
//   - with nothing changed (no-op), and
//   - after one file of its context changed (app/server.py gets one more line),
// by this client and by the tools a user would otherwise pick, in one run, on this project's engines
// (bash scripts/engine.sh up):
//   engine A (Docker 20.10, BuildKit 0.8):  @chutes/buildkit build() (in process, from dist; its default LLB back
//                                           end, and again with `frontend: "dockerfile"`), the chutes-image CLI
//                                           (a node process), DOCKER_BUILDKIT=1 docker build (Debian's 20.10 CLI)
//   engine B (Docker 26, BuildKit 0.13):    build(), the CLI, docker buildx build 0.13 (through
//                                           `scripts/engine.sh buildx-b`, which runs it in engine B's chroot)
// Rounds interleave the tools; the table shows medians and each tool's time divided by build()'s on that engine.
// BENCH_ROUNDS (default 7) sets the rounds. Every tool gets its own copy of the context, so one tool's change is
// never another's.

import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const repo = fileURLToPath(new URL("../../", import.meta.url));
const at = (path) => join(repo, path);
const dists = ["packages/buildkit/dist/index.js", "packages/dockerfile/dist/index.js", "apps/demo/dist/cli.js"];
for (const dist of dists) {
  if (!existsSync(at(dist))) {
    console.error(`${dist} is missing: run pnpm bench:rebuild (it builds first), or pnpm exec turbo run build --filter=@chutes/demo...`);
    process.exit(1);
  }
}

const ENGINES = {
  a: { socket: "/run/chutes-image/a/docker.sock", label: "A (Docker 20.10, BuildKit 0.8)" },
  b: { socket: "/run/chutes-image/b/docker.sock", label: "B (Docker 26, BuildKit 0.13)" },
};

function ping(socket) {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: "/_ping", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}
for (const [id, engine] of Object.entries(ENGINES)) {
  if (!(await ping(engine.socket))) {
    console.error(`engine ${id.toUpperCase()} does not answer at ${engine.socket}: start the engines with bash scripts/engine.sh up`);
    process.exit(1);
  }
}

const { build } = await import(pathToFileURL(at("packages/buildkit/dist/index.js")).href);
const { renderDockerfile } = await import(pathToFileURL(at("packages/dockerfile/dist/index.js")).href);
// The definition is TypeScript: load it the way the CLI does (jiti), resolving @chutes/image-core to its dist.
const { createJiti } = createRequire(at("apps/demo/package.json"))("jiti");
const definition = at("examples/demo/image.ts");
const { image } = await createJiti(pathToFileURL(definition).href).import(definition);
const dockerfile = renderDockerfile(image);

const work = mkdtempSync(join(tmpdir(), "chutes-bench-rebuild-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** A fresh copy of the demo's context (and the rendered Dockerfile, which docker build reads from it). */
function context(name) {
  const dir = join(work, name);
  cpSync(at("examples/demo/app"), join(dir, "app"), { recursive: true });
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  return dir;
}

let edits = 0;
function changeOneFile(dir) {
  appendFileSync(join(dir, "app", "server.py"), `# edit ${++edits}\n`);
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
}

const tag = (tool, engine) => `chutes-bench/rebuild-${tool}:${engine}`;

/** Each tool: a name, its engine, its context dir, and a synchronous-looking async rebuild. */
const tools = [];
for (const engineId of ["a", "b"]) {
  const engine = ENGINES[engineId];
  const address = `docker+unix://${engine.socket}`;
  const libraryDir = context(`library-${engineId}`);
  tools.push({
    engine: engineId,
    name: "@chutes/buildkit build()",
    dir: libraryDir,
    sent: [],
    rebuild: async (self) => {
      const result = await build(image, { engine: address, contextDir: self.dir, dockerfile, tags: [tag("library", engineId)], network: "host" });
      self.sent.push(result.counters.byDir.context?.bytesSent ?? 0);
    },
  });
  // The same call through BuildKit's Dockerfile frontend (the path build() took before LLB became its default).
  const libraryDockerfileDir = context(`library-dockerfile-${engineId}`);
  tools.push({
    engine: engineId,
    name: "build() frontend: dockerfile",
    dir: libraryDockerfileDir,
    rebuild: async (self) => {
      await build(image, { engine: address, contextDir: self.dir, frontend: "dockerfile", dockerfile, tags: [tag("library-dockerfile", engineId)], network: "host" });
    },
  });
  const cliDir = context(`cli-${engineId}`);
  tools.push({
    engine: engineId,
    name: "chutes-image build (CLI)",
    dir: cliDir,
    rebuild: async (self) =>
      run(process.execPath, [at("apps/demo/dist/cli.js"), "build", definition, "--context", self.dir, "--tag", tag("cli", engineId), "--network", "host", "--engine", address, "--progress", "plain"]),
  });
}
const dockerDir = context("docker-a");
tools.push({
  engine: "a",
  name: "docker build (20.10 CLI)",
  dir: dockerDir,
  rebuild: async (self) =>
    run("/usr/bin/docker", ["-H", `unix://${ENGINES.a.socket}`, "build", "--network", "host", "-q", "-t", tag("docker", "a"), "-f", join(self.dir, "Dockerfile"), self.dir], { DOCKER_BUILDKIT: "1" }),
});
const buildxDir = context("buildx-b");
tools.push({
  engine: "b",
  name: "docker buildx build (0.13, buildx-b)",
  dir: buildxDir,
  rebuild: async (self) =>
    run("bash", [at("scripts/engine.sh"), "buildx-b", "--context-dir", self.dir, "--", "--network", "host", "-q", "-t", tag("buildx", "b"), "--load", "-f", "Dockerfile"]),
});

async function timed(tool) {
  const started = performance.now();
  await tool.rebuild(tool);
  return performance.now() - started;
}

console.log(`node ${process.version}; ${ROUNDS} rounds; each tool built the demo image once before timing (warm cache)\n`);
for (const tool of tools) {
  await tool.rebuild(tool);
  tool.noop = [];
  tool.changed = [];
  if (tool.sent) tool.sent.length = 0;
}
// What wrapping costs the buildx row: engine.sh's lock, bind mounts and chroot, plus buildx's start, for `--help`.
const wrapperRuns = [];
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  execFileSync("bash", [at("scripts/engine.sh"), "buildx-b", "--context-dir", buildxDir, "--", "--help"], { stdio: "ignore" });
  wrapperRuns.push(performance.now() - started);
}

for (let round = 0; round < ROUNDS; round++) {
  for (const tool of tools) tool.noop.push(await timed(tool));
  for (const tool of tools) {
    changeOneFile(tool.dir);
    tool.changed.push(await timed(tool));
  }
}

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const widths = [36, 34, 12, 10];
const row = (cells) => cells.map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  ");
for (const [scenario, key] of [
  ["no-op rebuild", "noop"],
  ["one file changed", "changed"],
]) {
  console.log(`${scenario}: median of ${ROUNDS}; ratio = tool / build() on the same engine (higher: build() is faster)`);
  console.log(row(["tool", "engine", "median", "ratio"]));
  for (const engineId of ["a", "b"]) {
    const ours = median(tools.find((tool) => tool.engine === engineId && tool.name.endsWith("build()"))[key]);
    for (const tool of tools.filter((candidate) => candidate.engine === engineId)) {
      const value = median(tool[key]);
      console.log(row([tool.name, ENGINES[engineId].label, seconds(value), `${(value / ours).toFixed(2)}x`]));
    }
  }
  console.log("");
}
const sentChanged = tools.filter((tool) => tool.sent).map((tool) => `${ENGINES[tool.engine].label}: ${median(tool.sent.filter((_, i) => i % 2 === 1))} bytes`);
console.log(`build() context bytes sent after one file changed (median): ${sentChanged.join("; ")}`);
console.log(`engine.sh buildx-b wrapper + buildx start (\`-- --help\`, no build): median ${seconds(median(wrapperRuns))}, included in the buildx row`);
