// Generates the benchmark tree once (cached in the temp directory): about 20,000 files and 200 MB, shaped like
// a real project: sources, a node_modules and a .git that .dockerignore excludes, a few large files.

import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const TREE_VERSION = "v1";

/** A fast deterministic PRNG (xorshift32), so every machine generates the same bytes. */
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function bytes(random, size) {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i + 4 <= size; i += 4) out.writeUInt32LE(random(), i);
  for (let i = size - (size % 4); i < size; i++) out[i] = random() & 0xff;
  return out;
}

function text(random, size) {
  const words = ["const", "value", "return", "import", "export", "function", "=>", "{", "}", "(", ")", ";", "\n", "model", "tensor", "batch"];
  let out = "";
  while (out.length < size) out += `${words[random() % words.length]} `;
  return out.slice(0, size);
}

function write(root, path, content) {
  const absolute = join(root, path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
}

/** The tree's directory; generates it unless a complete copy is already there. */
export function ensureTree() {
  const root = join(tmpdir(), `chutes-context-bench-${TREE_VERSION}`);
  const marker = join(root, ".bench-complete");
  if (existsSync(marker)) return root;
  rmSync(root, { recursive: true, force: true });
  const random = prng(20240601);
  let files = 0;
  let size = 0;
  const add = (path, content) => {
    write(root, path, content);
    files++;
    size += content.length;
  };
  add(".dockerignore", "# dependencies and history never go to the builder\nnode_modules\n.git\n*.log\n");
  add("Dockerfile", "FROM python:3.11-slim\nCOPY . /app\n");
  // Sources: 6,000 files in 60 packages, 1-12 kB each.
  for (let p = 0; p < 60; p++) {
    for (let m = 0; m < 100; m++) add(`src/pkg${p}/mod${m}.ts`, text(random, 1000 + (random() % 11000)));
  }
  for (let d = 0; d < 40; d++) add(`docs/page${d}.md`, text(random, 5000));
  // A few large files: 4 x 20 MB of incompressible data.
  for (let a = 0; a < 4; a++) add(`assets/weights-${a}.bin`, bytes(random, 20 * 1024 * 1024));
  for (let l = 0; l < 5; l++) add(`debug-${l}.log`, text(random, 20000));
  // node_modules: 300 packages x 40 files, about 3 kB each.
  for (let p = 0; p < 300; p++) {
    add(`node_modules/pkg-${p}/package.json`, `{"name":"pkg-${p}","version":"1.0.${p}"}\n`);
    for (let f = 0; f < 39; f++) add(`node_modules/pkg-${p}/lib/f${f}.js`, text(random, 500 + (random() % 5000)));
  }
  // .git: 1,900 loose objects and one 40 MB pack.
  for (let o = 0; o < 1900; o++) {
    const name = (random() >>> 0).toString(16).padStart(8, "0");
    add(`.git/objects/${name.slice(0, 2)}/${name.slice(2)}${o}`, bytes(random, 500 + (random() % 3000)));
  }
  add(".git/objects/pack/pack-0.pack", bytes(random, 40 * 1024 * 1024));
  add(".git/HEAD", "ref: refs/heads/main\n");
  writeFileSync(marker, `${files} files, ${size} bytes\n`);
  return root;
}

/** A directory holding one 2 GB sparse file (and a small one). */
export function ensureSparse() {
  const root = join(tmpdir(), `chutes-context-bench-sparse-${TREE_VERSION}`);
  const big = join(root, "big.bin");
  if (!existsSync(big)) {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "README.md"), "one sparse file\n");
    writeFileSync(big, "");
    truncateSync(big, 2 * 1024 ** 3);
  }
  return root;
}
