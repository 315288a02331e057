// The `--list` view of a context: the set of paths the engine's `COPY . /` would create.

import type { ContextManifest } from "./collect.ts";

/**
 * One line per path, sorted byte-wise (UTF-8): files and symlinks as their relative path, directories that
 * hold nothing in the context with a trailing `/`, directories that hold something left out (they are
 * implied by their contents). Two contexts with the same list produce the same tree with `COPY . /`.
 */
export function listContext(manifest: Pick<ContextManifest, "entries">): string[] {
  const parents = new Set<string>();
  for (const entry of manifest.entries) {
    const slash = entry.path.lastIndexOf("/");
    if (slash > 0) parents.add(entry.path.slice(0, slash));
  }
  const lines: string[] = [];
  for (const entry of manifest.entries) {
    if (entry.type !== "dir") lines.push(entry.path);
    else if (!parents.has(entry.path)) lines.push(`${entry.path}/`);
  }
  return lines
    .map((line) => ({ line, bytes: Buffer.from(line, "utf8") }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ line }) => line);
}
