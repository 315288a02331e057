#!/usr/bin/env node
// Records what the real engine keeps for each .dockerignore conformance case.
//
// usage: node scripts/conformance/generate.mjs [--only id,id,...] [--stdout] [--jobs N]
//
// For each case of cases.mjs: materializes the tree in a temporary directory, builds `FROM scratch` + `COPY . /`
// with engine B (Docker 26, BuildKit 0.13: `bash scripts/engine.sh buildx-b`), exports the result with
// `-o type=local` and lists it: files and symlinks as paths, directories with a trailing `/`, sorted byte-wise.
// A build that fails records `error` instead. Without --stdout the answers are written to
// packages/context/test/conformance/fixtures.json (regenerating gives the same bytes); with --stdout the
// selected cases are printed as JSON instead, for the integration test. Engine B must be up:
// `bash scripts/engine.sh up b`.

import { spawn } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASES, RULES, STANDARD_TREE } from "./cases.mjs";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const ENGINE = join(REPO, "scripts/engine.sh");
const FIXTURES = join(REPO, "packages/context/test/conformance/fixtures.json");
export const DOCKERFILE = "FROM scratch\nCOPY . /\n";

/** Errors a failed build is classified by (the first phrase found in its output). */
const ERROR_PHRASES = [
  "illegal exclusion pattern",
  "syntax error in pattern",
  "error parsing regexp",
  "invalid excludepatterns",
  "failed to match excludepatterns",
  "contains value with non-printable ASCII characters",
];

function parseArgs(argv) {
  const args = { only: undefined, stdout: false, jobs: 4 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only") args.only = argv[++i].split(",").filter(Boolean);
    else if (a === "--stdout") args.stdout = true;
    else if (a === "--jobs") args.jobs = Number(argv[++i]);
    else throw new Error(`unknown argument ${a} (usage: generate.mjs [--only id,...] [--stdout] [--jobs N])`);
  }
  return args;
}

function run(command, args, { input, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end(input ?? "");
  });
}

/** Writes a case's tree (and its .dockerignore and Dockerfile) under `root`. */
export async function materialize(root, c) {
  await mkdir(root, { recursive: true });
  for (const entry of c.tree ?? STANDARD_TREE) {
    const arrow = entry.indexOf(" -> ");
    if (arrow >= 0) {
      const path = join(root, entry.slice(0, arrow));
      await mkdir(dirname(path), { recursive: true });
      await symlink(entry.slice(arrow + 4), path);
    } else if (entry.endsWith("/")) {
      await mkdir(join(root, entry), { recursive: true });
    } else {
      const path = join(root, entry);
      await mkdir(dirname(path), { recursive: true });
      const content = entry === c.dockerfile ? DOCKERFILE : (c.files?.[entry] ?? `${entry}\n`);
      await writeFile(path, content);
    }
  }
  if (c.dockerignore !== null) await writeFile(join(root, ".dockerignore"), c.dockerignore);
}

function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Every entry under `dir`: `paths` holds files and symlinks as paths and directories with a trailing `/`, sorted
 * byte-wise; `links` maps each symlink to its target.
 */
export async function listTree(dir) {
  const paths = [];
  const links = {};
  const visit = async (abs, prefix) => {
    for (const name of await readdir(abs)) {
      const path = join(abs, name);
      const rel = prefix + name;
      const st = await lstat(path);
      if (st.isDirectory()) {
        paths.push(`${rel}/`);
        await visit(path, `${rel}/`);
      } else {
        if (st.isSymbolicLink()) links[rel] = await readlink(path);
        paths.push(rel);
      }
    }
  };
  await visit(dir, "");
  paths.sort(byteOrder);
  const sortedLinks = Object.fromEntries(Object.entries(links).sort(([a], [b]) => byteOrder(a, b)));
  return { paths, links: sortedLinks };
}

/** Builds one case with engine B and returns `{ expected, links? }` or `{ error }`. */
async function answer(c, work) {
  const base = join(work, c.id);
  const ctx = join(base, "ctx");
  const out = join(base, "out");
  await materialize(ctx, c);
  const file = c.dockerfile ?? "-";
  // When a pattern is malformed, the engine fails the context transfer; on a busy engine the build sometimes
  // reports only that the transfer was "context canceled" instead of the pattern's error. That says nothing about
  // the semantics, so such a run is retried (at most 3 times) before it counts as an unknown failure.
  for (let attempt = 1; ; attempt++) {
    await rm(out, { recursive: true, force: true });
    const { code, output } = await run(
      "bash",
      [ENGINE, "buildx-b", "--context-dir", ctx, "--out", out, "--", "-f", file, "--progress", "plain"],
      { input: c.dockerfile === undefined ? DOCKERFILE : "" },
    );
    if (code === 0) break;
    if (/engine B is not up/.test(output)) throw new Error("engine B is not up: bash scripts/engine.sh up b");
    const phrase = ERROR_PHRASES.find((p) => output.includes(p));
    if (phrase !== undefined) return { error: phrase };
    if (attempt < 3 && /context canceled/.test(output)) continue;
    throw new Error(`case ${c.id}: the build failed for an unknown reason:\n${output}`);
  }
  const { paths, links } = await listTree(out);
  return Object.keys(links).length === 0 ? { expected: paths } : { expected: paths, links };
}

/** Runs `fn` over `items` with at most `jobs` at a time, keeping the order of the results. */
async function pool(items, jobs, fn) {
  const results = new Array(items.length);
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (next < items.length && !stop) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        stop = true;
        throw error;
      }
    }
  };
  // Let every worker finish before reporting a failure, so nothing is still writing when the caller cleans up.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(jobs, items.length) }, worker));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return results;
}

async function engineVersion() {
  const { code, output } = await run("bash", [ENGINE, "status", "b"]);
  const match = /Docker [^,\s]+/.exec(output);
  if (code !== 0 || match === null) throw new Error(`engine B is not up: bash scripts/engine.sh up b\n${output}`);
  return match[0];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const selected = args.only === undefined ? CASES : args.only.map((id) => {
    const c = CASES.find((x) => x.id === id);
    if (c === undefined) throw new Error(`no case ${id}`);
    return c;
  });
  const started = Date.now();
  const engine = await engineVersion();
  const work = await mkdtemp(join(tmpdir(), "chutes-conformance-"));
  try {
    const answers = await pool(selected, args.jobs, (c) => answer(c, work));
    const cases = selected.map((c, i) => {
      const { id, rules, why, dockerignore, dockerfile, files } = c;
      return {
        id,
        rules,
        why,
        tree: c.tree ?? STANDARD_TREE,
        ...(files === undefined ? {} : { files }),
        dockerignore,
        ...(dockerfile === undefined ? {} : { dockerfile }),
        ...answers[i],
      };
    });
    const fixtures = {
      about:
        "Answers of the real engine (FROM scratch + COPY . /, exported with -o type=local) for each case of " +
        "scripts/conformance/cases.mjs. Regenerate with: node scripts/conformance/generate.mjs",
      engine: `${engine} (engine B: BuildKit 0.13 through docker buildx 0.13)`,
      dockerfile: DOCKERFILE,
      rules: RULES,
      cases,
    };
    const text = `${JSON.stringify(fixtures, null, 2)}\n`;
    if (args.stdout) process.stdout.write(text);
    else await writeFile(FIXTURES, text);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`generate.mjs: ${cases.length} cases in ${seconds}s with ${args.jobs} jobs\n`);
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 5 }).catch((error) => {
      process.stderr.write(`generate.mjs: could not remove ${work}: ${error.message}\n`);
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`generate.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
