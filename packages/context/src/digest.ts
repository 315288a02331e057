// contextDigest: one sha256 that names a context's contents, equal for equal contexts on any machine.

import { createHash } from "node:crypto";
import type { ContextManifest } from "./collect.ts";
import { hashEntry } from "./collect.ts";

/** The first line of the digested text; a change of serialization changes it. */
export const CONTEXT_DIGEST_VERSION = "chutes-context-digest/v1";

/**
 * The `sha256:<hex>` digest of a context: its paths, entry types, permission bits, symlink targets and file
 * contents. Modification times, owners, sizes on disk of directories and the machine's paths never count, so
 * two copies of one tree (made in any order, at any time, anywhere) have the same digest.
 *
 * Serialization (UTF-8), hashed with sha256:
 *
 * ```
 * chutes-context-digest/v1\n
 * then, for every entry in manifest order (Go walk order: parents first, siblings byte-wise by name):
 *   <type> <mode> <path length>:<path> <payload>\n
 * ```
 * - `<type>`: `f` file, `d` directory, `l` symlink;
 * - `<mode>`: the permission bits with setuid/setgid/sticky (`st_mode & 0o7777`), 4 octal digits;
 * - `<path length>`: the path's length in UTF-8 bytes, in decimal; `<path>` relative, `/`-separated;
 * - `<payload>`: for a file, the hex sha256 of its contents; for a symlink, `<target length>:<target>`;
 *   for a directory, `-`.
 */
export async function contextDigest(manifest: ContextManifest): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`${CONTEXT_DIGEST_VERSION}\n`);
  for (const entry of manifest.entries) {
    const type = entry.type === "file" ? "f" : entry.type === "dir" ? "d" : "l";
    const mode = (entry.mode & 0o7777).toString(8).padStart(4, "0");
    const payload =
      entry.type === "file"
        ? (await hashEntry(manifest, entry)).slice("sha256:".length)
        : entry.type === "symlink"
          ? netstring(entry.linkTarget ?? "")
          : "-";
    hash.update(`${type} ${mode} ${netstring(entry.path)} ${payload}\n`);
  }
  return `sha256:${hash.digest("hex")}`;
}

function netstring(text: string): string {
  return `${Buffer.byteLength(text, "utf8")}:${text}`;
}
