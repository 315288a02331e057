// Narrows a source's entries to what a DiffCopy request asked for, as old fsutil's walker does: include patterns
// (Go `filepath.Match`, tried on the path's leading components so the directories on the way are sent too) and
// followpaths (paths whose symlinks are followed inside the root, then used as include patterns). Exclude
// patterns are left to the source, which owns the `.dockerignore` semantics.

import { goMatch } from "./go-match.ts";
import { isDirMode, isSymlinkMode } from "./go-mode.ts";
import type { SyncRequest } from "./metadata.ts";
import type { SyncEntry } from "./source.ts";
import { parentPath } from "./walk-order.ts";

/** The entries of `entries` that `request` selects, in the same order. */
export async function* narrowEntries(entries: AsyncIterable<SyncEntry> | Iterable<SyncEntry>, request: SyncRequest): AsyncGenerator<SyncEntry> {
  if (request.includePatterns.length === 0 && request.followPaths.length === 0) {
    for await (const entry of entries) yield entry;
    return;
  }
  let source: AsyncIterable<SyncEntry> | Iterable<SyncEntry> = entries;
  let patterns: string[] | undefined = request.includePatterns.map(cleanPattern);
  if (request.followPaths.length > 0) {
    // Resolving symlinks needs the whole tree; the daemon only asks for followpaths on small loads.
    const all: SyncEntry[] = [];
    for await (const entry of entries) all.push(entry);
    source = all;
    patterns = dedupePaths([...patterns, ...followLinks(all, request.followPaths)]);
  }
  if (patterns === undefined) {
    for await (const entry of source) yield entry;
    return;
  }
  const filter = new IncludeFilter(patterns);
  for await (const entry of source) {
    if (filter.accepts(entry.path, isDirMode(entry.mode))) yield entry;
  }
}

/** fsutil's include test, one entry at a time in walk order (skipping a directory skips its subtree). */
class IncludeFilter {
  readonly #patterns: readonly string[];
  #lastIncludedDir = "";
  #skippedDir: string | undefined;

  constructor(patterns: readonly string[]) {
    this.#patterns = patterns;
  }

  accepts(path: string, isDir: boolean): boolean {
    if (this.#skippedDir !== undefined && path.startsWith(`${this.#skippedDir}/`)) return false;
    this.#skippedDir = undefined;
    if (this.#lastIncludedDir !== "" && path.startsWith(`${this.#lastIncludedDir}/`)) return true;
    let matched = false;
    let partial = true;
    for (const pattern of this.#patterns) {
      const result = matchPrefix(pattern, path);
      if (result.ok) {
        matched = true;
        if (!result.partial) {
          partial = false;
          break;
        }
      }
    }
    if (!matched) {
      if (isDir) this.#skippedDir = path;
      return false;
    }
    if (!partial && isDir) this.#lastIncludedDir = path;
    return true;
  }
}

/** Matches `name` against the pattern cut to as many components as `name` has (`partial` when cut). */
export function matchPrefix(pattern: string, name: string): { ok: boolean; partial: boolean } {
  const count = name.split("/").length - 1;
  const parts = pattern.split("/");
  if (parts.length - 1 > count) {
    return { ok: goMatch(parts.slice(0, count + 1).join("/"), name), partial: true };
  }
  return { ok: goMatch(pattern, name), partial: false };
}

/** Go's `filepath.Clean` for a relative pattern, without a leading `/`. */
export function cleanPattern(pattern: string): string {
  const out: string[] = [];
  for (const part of pattern.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!pattern.startsWith("/")) out.push("..");
      continue;
    }
    out.push(part);
  }
  return out.length === 0 ? "." : out.join("/");
}

/** Sorted, without paths below another one; `undefined` (no filter) when `.` is among them. */
function dedupePaths(paths: readonly string[]): string[] | undefined {
  const sorted = [...new Set(paths)].sort();
  const out: string[] = [];
  let last: string | undefined;
  for (const path of sorted) {
    if (path === ".") return undefined;
    if (last !== undefined && path.startsWith(`${last}/`)) continue;
    out.push(path);
    last = path;
  }
  return out;
}

/**
 * fsutil's `FollowLinks`: every followpath, with each symlink met on the way (inside the tree) replaced by its
 * target and kept itself, so both the link and what it points to are sent. Missing paths resolve to themselves.
 */
export function followLinks(entries: readonly SyncEntry[], followPaths: readonly string[]): string[] {
  const byPath = new Map<string, SyncEntry>();
  const children = new Map<string, string[]>();
  for (const entry of entries) {
    byPath.set(entry.path, entry);
    const parent = parentPath(entry.path);
    const list = children.get(parent);
    if (list === undefined) children.set(parent, [entry.path]);
    else list.push(entry.path);
  }
  const resolved = new Set<string>();

  const readSymlink = (path: string, allowWildcard: boolean): string[] | undefined => {
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (allowWildcard && /[*?[\\]/.test(base)) {
      const dir = parentPath(path);
      const out: string[] = [];
      for (const sibling of children.get(dir) ?? []) {
        if (goMatch(base, sibling.slice(sibling.lastIndexOf("/") + 1))) out.push(...(readSymlink(sibling, false) ?? []));
      }
      return out.length === 0 ? undefined : out;
    }
    const entry = byPath.get(path);
    if (entry?.linkTarget === undefined || !isSymlinkMode(entry.mode)) return undefined;
    // Resolved as if the tree were the root: `..` never climbs out of it.
    return [cleanPattern(entry.linkTarget.startsWith("/") ? entry.linkTarget : `/${parentPath(path)}/${entry.linkTarget}`)];
  };

  const append = (input: string, depth: number): void => {
    if (depth > 255) return;
    let rest = cleanPattern(input);
    if (rest === ".") {
      resolved.add(".");
      return;
    }
    let current = "";
    for (;;) {
      const slash = rest.indexOf("/");
      const head = slash === -1 ? rest : rest.slice(0, slash);
      rest = slash === -1 ? "" : rest.slice(slash + 1);
      current = current === "" ? head : `${current}/${head}`;
      const targets = readSymlink(current, true);
      if ((rest === "" || targets !== undefined) && resolved.has(current)) return;
      if (targets !== undefined) {
        resolved.add(current);
        for (const target of targets) append(rest === "" ? target : `${target}/${rest}`, depth + 1);
        return;
      }
      if (rest === "") {
        resolved.add(current);
        return;
      }
    }
  };

  for (const path of followPaths) append(path, 0);
  return [...resolved];
}
