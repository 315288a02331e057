// Test helper: builds a directory tree from a compact description in a fresh temporary directory.

import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A file's contents, `{ dir: true }` for an empty directory, `{ link }` for a symlink, `{ mode }` to chmod. */
export type Node = string | Buffer | { readonly dir: true; readonly mode?: number } | { readonly link: string } | { readonly content: string | Buffer; readonly mode: number };

/** Creates the nodes in the given order under `root` (parents are created as needed). */
export async function writeTree(root: string, nodes: Readonly<Record<string, Node>>, order?: readonly string[]): Promise<void> {
  for (const path of order ?? Object.keys(nodes)) {
    const node = nodes[path];
    if (node === undefined) continue;
    const absolute = join(root, path);
    await mkdir(dirname(absolute), { recursive: true });
    if (typeof node === "string" || Buffer.isBuffer(node)) {
      await writeFile(absolute, node);
      await chmod(absolute, 0o644);
    } else if ("dir" in node) {
      await mkdir(absolute, { recursive: true });
      await chmod(absolute, node.mode ?? 0o755);
    } else if ("link" in node) {
      await symlink(node.link, absolute);
    } else {
      await writeFile(absolute, node.content);
      await chmod(absolute, node.mode);
    }
  }
}

/** A fresh temporary directory holding `nodes`; remove it with `cleanup`. */
export async function tempTree(nodes: Readonly<Record<string, Node>> = {}, order?: readonly string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "chutes-context-"));
  await chmod(root, 0o755);
  await writeTree(root, nodes, order);
  return root;
}

export async function cleanup(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** Sets a path's modification time (seconds). */
export async function touch(path: string, seconds: number): Promise<void> {
  await utimes(path, seconds, seconds);
}

/** Runs `fn` without root's power to read anything (as `nobody`), so permission errors can be tested as root. */
export async function asUnprivileged<T>(fn: () => Promise<T>): Promise<T> {
  if (process.getuid?.() !== 0 || process.seteuid === undefined) return fn();
  process.seteuid(65534);
  try {
    return await fn();
  } finally {
    process.seteuid(0);
  }
}
