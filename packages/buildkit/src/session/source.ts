// What FileSync serves: a source of entries in Go walk order plus a way to read a file. The session never
// reads the file system itself; `directorySource` and `memorySource` are small adapters, and the context
// package's manifest plugs in the same way.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { SessionError } from "./errors.ts";
import { GoMode, goFileMode } from "./go-mode.ts";
import type { SyncRequest } from "./metadata.ts";
import { compareNames, comparePaths, isCleanRelativePath } from "./walk-order.ts";

/** One entry to send, as fsutil's `Stat` carries it. */
export interface SyncEntry {
  /** Relative, `/`-separated, clean. */
  readonly path: string;
  /** Go `os.FileMode`: type bits + permissions (see `GoMode`, `goFileMode`). */
  readonly mode: number;
  /** Bytes for files, the target's length for symlinks, 0 for directories and later hard links. */
  readonly size: number;
  /** Modification time, Unix nanoseconds. Keep it stable: an unchanged (mode, size, mtime) is not re-sent. */
  readonly mtimeNs: bigint;
  /** Defaults to 0, as docker and buildctl send. */
  readonly uid?: number;
  readonly gid?: number;
  /** A symlink's target; for a regular file, the first path of its hard-linked inode (size 0, never requested). */
  readonly linkTarget?: string;
}

/** A file's bytes, in chunks of any size. */
export type FileContents = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * A directory FileSync can serve. `entries` yields, in Go walk order (parents first, siblings byte-wise by
 * name), exactly what may be sent: ignore rules are the source's job. The session narrows the result further to
 * the request's include patterns and followpaths, so a source may ignore those (or use them to walk less).
 */
export interface SyncSource {
  entries(request: SyncRequest): AsyncIterable<SyncEntry> | Iterable<SyncEntry>;
  /** The contents of a regular file that `entries` yielded (a `Readable` will do). */
  open(path: string): FileContents | Promise<FileContents>;
}

/**
 * Serves a directory as it is on disk: a minimal lstat walk in Go order (symlinks never followed; FIFOs,
 * sockets and devices skipped; later paths of a hard-linked file sent as links), uid and gid 0. It applies no
 * ignore file: hand it only directories meant to be sent whole, or use the context package's manifest.
 */
export function directorySource(root: string): SyncSource {
  const base = resolve(root);
  return {
    entries: () => walkDirectory(base),
    open: (path) => {
      if (!isCleanRelativePath(path)) throw new SessionError("invalid-option", `not a relative path: ${path}`, { path });
      return createReadStream(join(base, path));
    },
  };
}

async function* walkDirectory(root: string): AsyncGenerator<SyncEntry> {
  const links = new Map<string, string>();
  yield* walk(root, "");

  async function* walk(dir: string, prefix: string): AsyncGenerator<SyncEntry> {
    const names = (await readdir(dir)).sort(compareNames);
    for (const name of names) {
      const path = prefix === "" ? name : `${prefix}/${name}`;
      const full = join(dir, name);
      const stat = await lstat(full, { bigint: true });
      const mode = goFileMode(Number(stat.mode));
      const common = { path, mode, mtimeNs: stat.mtimeNs };
      if (stat.isDirectory()) {
        yield { ...common, size: 0 };
        yield* walk(full, path);
      } else if (stat.isSymbolicLink()) {
        yield { ...common, size: Number(stat.size), linkTarget: await readlink(full) };
      } else if (stat.isFile()) {
        const inode = `${stat.dev}:${stat.ino}`;
        const first = stat.nlink > 1n ? links.get(inode) : undefined;
        if (first !== undefined) {
          yield { ...common, size: 0, linkTarget: first };
        } else {
          if (stat.nlink > 1n) links.set(inode, path);
          yield { ...common, size: Number(stat.size) };
        }
      }
    }
  }
}

/** One entry of a context manifest, as `@chutes/context`'s `collectContext` lists it (structurally). */
export interface ManifestEntryLike {
  readonly path: string;
  readonly type: "file" | "dir" | "symlink";
  /** Go `os.FileMode`. */
  readonly goMode: number;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly linkTarget?: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: number;
}

/** A context manifest: its root and its entries in Go walk order, ignore rules already applied. */
export interface ManifestLike {
  readonly root: string;
  readonly entries: readonly ManifestEntryLike[];
}

/**
 * Serves a context manifest (`@chutes/context`'s `collectContext`, matched structurally so this package needs no
 * dependency on it): exactly its entries, uid and gid 0, later paths of a hard-linked file as links to the first.
 * Contents are read from `root` when the engine asks for them.
 */
export function manifestSource(manifest: ManifestLike): SyncSource {
  const root = resolve(manifest.root);
  const files = new Set<string>();
  const entries: SyncEntry[] = [];
  const links = new Map<string, string>();
  for (const entry of manifest.entries) {
    const common = { path: entry.path, mode: entry.goMode >>> 0, mtimeNs: entry.mtimeNs };
    if (entry.type === "dir") {
      entries.push({ ...common, size: 0 });
    } else if (entry.type === "symlink") {
      entries.push({ ...common, size: entry.size, linkTarget: entry.linkTarget ?? "" });
    } else {
      const inode = `${entry.dev}:${entry.ino}`;
      const first = entry.nlink > 1 ? links.get(inode) : undefined;
      if (first !== undefined) {
        entries.push({ ...common, size: 0, linkTarget: first });
      } else {
        if (entry.nlink > 1) links.set(inode, entry.path);
        files.add(entry.path);
        entries.push({ ...common, size: entry.size });
      }
    }
  }
  return {
    entries: () => entries,
    open: (path) => {
      if (!files.has(path)) throw new SessionError("sync-failed", `"${path}" is not a file of the context manifest`, { path });
      return createReadStream(join(root, path));
    },
  };
}

/** Options of `memorySource`. */
export interface MemorySourceOptions {
  /** Permission bits of every file (default 0o644); directories get 0o755. */
  readonly fileMode?: number;
}

/** 2000-01-01T00:00:00Z in Unix nanoseconds: the base of `memorySource`'s mtimes. */
const MEMORY_EPOCH_NS = 946_684_800_000_000_000n;

/**
 * Serves in-memory files (e.g. a rendered Dockerfile), with the directories their paths imply. Each file's
 * mtime is derived from its contents, so an unchanged file is never re-sent and a changed one always is (the
 * engine compares size and mtime, not contents).
 */
export function memorySource(files: Readonly<Record<string, string | Uint8Array>>, options: MemorySourceOptions = {}): SyncSource {
  const fileMode = (options.fileMode ?? 0o644) & 0o7777;
  const contents = new Map<string, Buffer>();
  const dirs = new Set<string>();
  for (const [path, content] of Object.entries(files)) {
    if (!isCleanRelativePath(path)) throw new SessionError("invalid-option", `memorySource: not a clean relative path: "${path}"`, { path });
    contents.set(path, typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content));
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  for (const dir of dirs) {
    if (contents.has(dir)) throw new SessionError("invalid-option", `memorySource: "${dir}" is both a file and a directory`, { path: dir });
  }
  const entries: SyncEntry[] = [];
  for (const dir of dirs) entries.push({ path: dir, mode: (GoMode.dir | 0o755) >>> 0, size: 0, mtimeNs: MEMORY_EPOCH_NS });
  for (const [path, content] of contents) {
    entries.push({ path, mode: fileMode, size: content.length, mtimeNs: contentMtime(content) });
  }
  entries.sort((a, b) => comparePaths(a.path, b.path));
  return {
    entries: () => entries,
    open: (path) => {
      const content = contents.get(path);
      if (content === undefined) throw new SessionError("sync-failed", `memorySource has no file "${path}"`, { path });
      return [content];
    },
  };
}

/** A stable mtime for in-memory contents: the epoch plus a hash of the contents, within about three years. */
function contentMtime(content: Buffer): bigint {
  const digest = createHash("sha256").update(content).digest();
  return MEMORY_EPOCH_NS + (digest.readBigUInt64BE(0) % 100_000_000_000_000_000n);
}
