#!/usr/bin/env node
// The context benchmark: `pnpm bench:context` (or `node bench/context/run.mjs` once packages/context is built).
//
// Packs the same generated tree (about 20,000 files, 200 MB, with a node_modules and a .git that .dockerignore
// excludes) to a null sink with @chutes/context, with tar-fs + @balena/dockerignore (the pair dockerode builds
// contexts with) and with GNU tar --exclude-from, each in its own process; prints the median time of several
// runs, the ratio to @chutes/context and each one's peak RSS. Then packs a context holding one 2 GB sparse file.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureSparse, ensureTree } from "./tree.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const worker = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const dist = fileURLToPath(new URL("../../packages/context/dist/index.js", import.meta.url));
const TOOLS = [
  ["chutes", "@chutes/context (collect + pack)"],
  ["tar-fs", "tar-fs + @balena/dockerignore"],
  ["gnu-tar", "GNU tar --exclude-from"],
];

if (!existsSync(dist)) {
  console.error("packages/context/dist is missing: build it first (cd packages/context && npx tsup), or run pnpm bench:context");
  process.exit(1);
}

function measure(tool, root, mode = "time") {
  const out = execFileSync(process.execPath, [worker, tool, root, mode], { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop());
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const pad = (text, width) => String(text).padEnd(width);
const lpad = (text, width) => String(text).padStart(width);

const started = Date.now();
const root = ensureTree();
console.log(`tree: ${root} (${execFileSync("cat", [`${root}/.bench-complete`], { encoding: "utf8" }).trim()}), generated or reused in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`node ${process.version}, ${ROUNDS} rounds per tool, median time; peak RSS is the largest of the rounds\n`);

// One untimed pass each: warms the page cache and checks that the three archives hold the same members.
const members = Object.fromEntries(TOOLS.map(([tool]) => [tool, measure(tool, root, "verify")]));

const results = Object.fromEntries(TOOLS.map(([tool]) => [tool, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [tool] of TOOLS) results[tool].push(measure(tool, root));
}

const base = median(results.chutes.map((r) => r.ms));
console.log(`${pad("tool", 34)}${lpad("members", 9)}${lpad("tar bytes", 13)}${lpad("time", 10)}${lpad("ratio", 8)}${lpad("peak RSS", 10)}`);
for (const [tool, label] of TOOLS) {
  const runs = results[tool];
  const ms = median(runs.map((r) => r.ms));
  const rss = Math.max(...runs.map((r) => r.maxRssKb));
  console.log(
    `${pad(label, 34)}${lpad(members[tool].members, 9)}${lpad(runs[0].bytes, 13)}${lpad(`${ms.toFixed(0)} ms`, 10)}${lpad(`${(ms / base).toFixed(2)}x`, 8)}${lpad(mb(rss), 10)}`,
  );
}

const sparse = ensureSparse();
const SPARSE_ROUNDS = 3;
console.log(`\none 2 GB sparse file (${sparse}), median of ${SPARSE_ROUNDS} runs after a warm-up:`);
console.log(`${pad("tool", 34)}${lpad("tar bytes", 13)}${lpad("time", 10)}${lpad("peak RSS", 10)}`);
for (const [tool] of TOOLS) measure(tool, sparse);
for (const [tool, label] of TOOLS) {
  const runs = Array.from({ length: SPARSE_ROUNDS }, () => measure(tool, sparse));
  const r = { bytes: runs[0].bytes, ms: median(runs.map((run) => run.ms)), maxRssKb: Math.max(...runs.map((run) => run.maxRssKb)) };
  console.log(`${pad(label, 34)}${lpad(r.bytes, 13)}${lpad(`${r.ms.toFixed(0)} ms`, 10)}${lpad(mb(r.maxRssKb), 10)}`);
}
