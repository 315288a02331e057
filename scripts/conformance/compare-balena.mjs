#!/usr/bin/env node
// Replays the recorded .dockerignore cases with @balena/dockerignore the way dockerode and testcontainers use it
// (tar-fs packs the context and skips every path, directory or not, that `ignores()` accepts, without
// descending into ignored directories) and prints the cases where it disagrees with the engine.
//
// usage: node scripts/conformance/compare-balena.mjs [--ignorecase]
//   @balena/dockerignore is not a dependency of this repository: point BALENA_DOCKERIGNORE at an installed copy
//   (npm install --prefix /tmp/balena @balena/dockerignore; BALENA_DOCKERIGNORE=/tmp/balena/node_modules/@balena/dockerignore).

import { lstat, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { materialize } from "./generate.mjs";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(join(REPO, "package.json"));
const dockerignore = require(process.env.BALENA_DOCKERIGNORE ?? "@balena/dockerignore");
const ignorecase = process.argv.includes("--ignorecase");
const fixtures = JSON.parse(await readFile(join(REPO, "packages/context/test/conformance/fixtures.json"), "utf8"));

const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function ignoreText(root, c) {
  const candidates = c.dockerfile === undefined ? [".dockerignore"] : [`${c.dockerfile}.dockerignore`, ".dockerignore"];
  for (const candidate of candidates) {
    try {
      return await readFile(join(root, candidate), "utf8");
    } catch {
      // try the next one
    }
  }
  return undefined;
}

async function balenaListing(root, text) {
  const ig = dockerignore({ ignorecase });
  if (text !== undefined) ig.add(text);
  const paths = [];
  const visit = async (abs, rel) => {
    for (const name of (await readdir(abs)).sort(byteOrder)) {
      const path = rel === "" ? name : `${rel}/${name}`;
      if (ig.ignores(path)) continue;
      const st = await lstat(join(abs, name));
      if (st.isDirectory()) {
        paths.push(`${path}/`);
        await visit(join(abs, name), path);
      } else {
        paths.push(path);
      }
    }
  };
  await visit(root, "");
  return paths.sort(byteOrder);
}

const work = await mkdtemp(join(tmpdir(), "chutes-balena-"));
const differences = [];
try {
  for (const c of fixtures.cases) {
    const root = join(work, c.id);
    await materialize(root, c);
    const text = await ignoreText(root, c);
    let got;
    try {
      got = await balenaListing(root, text);
    } catch (error) {
      got = `throws ${error.message}`;
    }
    const engine = c.error === undefined ? c.expected : `fails: ${c.error}`;
    const agree = c.error === undefined ? JSON.stringify(got) === JSON.stringify(engine) : typeof got === "string";
    if (agree) continue;
    const detail =
      typeof got === "string" || c.error !== undefined
        ? `balena ${typeof got === "string" ? got : "lists " + JSON.stringify(got)}; engine ${typeof engine === "string" ? engine : "lists " + JSON.stringify(engine)}`
        : `balena extra ${JSON.stringify(got.filter((p) => !engine.includes(p)))}, missing ${JSON.stringify(engine.filter((p) => !got.includes(p)))}`;
    differences.push({ id: c.id, dockerignore: text, detail });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
for (const d of differences) console.log(`${d.id}  ${JSON.stringify(d.dockerignore)}\n    ${d.detail}`);
console.log(`@balena/dockerignore (ignorecase: ${ignorecase}) disagrees with the engine on ${differences.length} of ${fixtures.cases.length} cases`);
