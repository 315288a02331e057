// An ordered, lstat-only walk of a directory tree in Go's `filepath.Walk` order (buildkit-wire.md section 6):
// parents before their children, siblings in increasing byte-wise order of their UTF-8 base names. This is the
// order BuildKit's filesync demands, so the same walk feeds the manifest, the tar and (later) DiffCopy.

import { constants as fsConstants, lstatSync, readdirSync, readlinkSync } from "node:fs";
import type { BigIntStats, Dirent } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import { join } from "node:path";
import { ContextError } from "./errors.ts";
import { cooperate } from "./cooperate.ts";

/** What an entry of the context is. FIFOs, sockets and devices never become entries. */
export type EntryType = "file" | "dir" | "symlink";

/** One file system entry, as `lstat` saw it (symlinks are never followed). */
export interface WalkEntry {
  /** Relative to the walk root, `/`-separated, clean (no `./`, no trailing `/`). */
  readonly path: string;
  readonly type: EntryType;
  /** Permission bits with setuid, setgid and sticky: `st_mode & 0o7777`. */
  readonly mode: number;
  /** Go's `os.FileMode` of the entry (type bits + permissions), as BuildKit's filesync `Stat.mode` carries it. */
  readonly goMode: number;
  /** Bytes for files, the target's length for symlinks, 0 for directories. */
  readonly size: number;
  /** Modification time, Unix nanoseconds. */
  readonly mtimeNs: bigint;
  /** The symlink's target, as stored (never resolved). */
  readonly linkTarget?: string;
  /** Device and inode, to recognise hard links (filesync sends later links of an inode as links). */
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: number;
}

/** Something the walk skipped and the caller may want to show. Never printed by the package. */
export interface ContextWarning {
  /**
   * `special-file` (a FIFO, socket or device, skipped), `unsupported-name` (a name that is not UTF-8),
   * `vanished` (removed while walking), `directory-cycle` (a directory seen twice on one path, e.g. through a
   * bind mount), `source-not-found`, `source-ignored` (a step's source that `.dockerignore` excludes),
   * `engine-would-fail` (an ignore file Docker 26 refuses to send: a pattern with an ASCII control character).
   */
  readonly code: string;
  readonly path: string;
  readonly message: string;
  /** The `add`/`copy` step concerned, for source warnings. */
  readonly step?: number;
  readonly stage?: string;
}

/**
 * What to do with an entry:
 * - `include`: yield it (and, for a directory, walk into it);
 * - `exclude`: skip it (a directory's subtree is not read);
 * - `descend`: for a directory, do not yield it now but walk into it, and yield it just before the first
 *   descendant that is yielded (never, when none is): how fsutil sends an excluded directory that an exception
 *   reaches into. For anything else the same as `exclude`.
 */
export type WalkAction = "include" | "exclude" | "descend";

/** The type `decide` sees: `special` for FIFOs, sockets and devices (skipped with a warning if included). */
export type CandidateType = EntryType | "special";

export interface WalkDecision<S> {
  readonly action: WalkAction;
  /** Handed to `decide` for the children of this directory. */
  readonly state: S;
}

export interface WalkOptions<S> {
  /**
   * Called for every entry before it is stat'ed, parents before children, with the state its parent's
   * decision returned (`undefined` for entries at the root). Defaults to including everything.
   */
  readonly decide?: (path: string, type: CandidateType, parent: S | undefined) => WalkDecision<S>;
  /** Receives what was skipped: special files, undecodable names, vanished entries. */
  readonly onWarning?: (warning: ContextWarning) => void;
  /** Stops the walk (it throws the signal's reason) between directories. */
  readonly signal?: AbortSignal;
}

/** Go `os.FileMode` bits (buildkit-wire.md section 6). */
export const GoFileMode = {
  dir: 0x8000_0000,
  append: 1 << 30,
  exclusive: 1 << 29,
  temporary: 1 << 28,
  symlink: 1 << 27,
  device: 1 << 26,
  namedPipe: 1 << 25,
  socket: 1 << 24,
  setuid: 1 << 23,
  setgid: 1 << 22,
  charDevice: 1 << 21,
  sticky: 1 << 20,
  irregular: 1 << 19,
} as const;

/** Converts a POSIX `st_mode` to Go's `os.FileMode` (as an unsigned 32-bit number). */
export function goFileMode(stMode: number): number {
  let mode = stMode & 0o777;
  switch (stMode & fsConstants.S_IFMT) {
    case fsConstants.S_IFDIR:
      mode |= GoFileMode.dir;
      break;
    case fsConstants.S_IFLNK:
      mode |= GoFileMode.symlink;
      break;
    case fsConstants.S_IFBLK:
      mode |= GoFileMode.device;
      break;
    case fsConstants.S_IFCHR:
      mode |= GoFileMode.device | GoFileMode.charDevice;
      break;
    case fsConstants.S_IFIFO:
      mode |= GoFileMode.namedPipe;
      break;
    case fsConstants.S_IFSOCK:
      mode |= GoFileMode.socket;
      break;
    default:
      break;
  }
  if (stMode & 0o4000) mode |= GoFileMode.setuid;
  if (stMode & 0o2000) mode |= GoFileMode.setgid;
  if (stMode & 0o1000) mode |= GoFileMode.sticky;
  return mode >>> 0;
}

/** Orders two base names as Go does: byte-wise on their UTF-8 encodings (not UTF-16 code units). */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Orders two relative paths as `walkTree` yields them: component by component, each compared byte-wise, so a
 * directory comes right before its children (`a`, `a/b`, `a-b`; a flat sort would give `a`, `a-b`, `a/b`).
 */
export function comparePaths(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const order = compareNames(left[i] ?? "", right[i] ?? "");
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** Resolves `root` to its real path and checks that it is a directory. */
export async function resolveRoot(root: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(root);
  } catch (error) {
    throw fsError(error, root, "the context root");
  }
  const stat = await lstat(real);
  if (!stat.isDirectory()) throw new ContextError("not-a-directory", `the context root ${root} is not a directory`, { path: root });
  return real;
}

interface Pending {
  readonly entry: WalkEntry;
  emitted: boolean;
}

interface Child<S> {
  readonly name: string;
  readonly path: string;
  readonly type: CandidateType;
  readonly decision: WalkDecision<S>;
  stat?: BigIntStats;
}

/**
 * Walks `root` (a directory) and yields its entries in Go `filepath.Walk` order; the root itself is not
 * yielded. Symlinks are reported, never followed. Memory holds one directory listing per level, never file
 * contents. The system calls are synchronous (see `read.ts` for why) and the event loop gets a turn every
 * few milliseconds. Throws `ContextError` `unreadable` for a directory or entry that cannot be read.
 */
export async function* walkTree<S = undefined>(root: string, options: WalkOptions<S> = {}): AsyncGenerator<WalkEntry> {
  const realRoot = await resolveRoot(root);
  const decide = options.decide ?? ((): WalkDecision<S> => ({ action: "include", state: undefined as S }));
  const warn = options.onWarning ?? (() => undefined);
  const rootStat = await lstat(realRoot, { bigint: true });
  yield* walkDir(realRoot, "", undefined, [], [`${rootStat.dev}:${rootStat.ino}`]);

  async function* walkDir(
    dir: string,
    prefix: string,
    state: S | undefined,
    pending: Pending[],
    ancestry: string[],
  ): AsyncGenerator<WalkEntry> {
    options.signal?.throwIfAborted();
    await cooperate();
    let dirents: Dirent<Buffer>[];
    try {
      dirents = readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      if (errorCode(error) === "ENOENT") {
        warn({ code: "vanished", path: prefix, message: `${prefix} was removed while the context was read` });
        return;
      }
      throw fsError(error, prefix || ".", "the directory");
    }
    dirents.sort((a, b) => Buffer.compare(a.name, b.name));

    const children: Child<S>[] = [];
    for (const dirent of dirents) {
      const name = dirent.name.toString("utf8");
      const path = prefix === "" ? name : `${prefix}/${name}`;
      if (!Buffer.from(name, "utf8").equals(dirent.name)) {
        warn({ code: "unsupported-name", path, message: `skipped ${JSON.stringify(path)}: its name is not valid UTF-8` });
        continue;
      }
      let type = direntType(dirent);
      let stat: BigIntStats | undefined;
      if (type === undefined) {
        stat = statChild(join(dir, name), path);
        if (stat === undefined) continue;
        type = statType(stat);
      }
      const decision = decide(path, type, state);
      if (decision.action === "exclude") continue;
      if (type === "special") {
        if (decision.action === "include") {
          warn({ code: "special-file", path, message: `skipped ${path}: FIFOs, sockets and devices are not part of a build context` });
        }
        continue;
      }
      if (decision.action === "descend" && type !== "dir") continue;
      const child: Child<S> = { name, path, type, decision };
      if (stat !== undefined) child.stat = stat;
      children.push(child);
    }

    for (const child of children) {
      const stat = child.stat ?? statChild(join(dir, child.name), child.path);
      if (stat === undefined) continue;
      const type = statType(stat);
      if (type === "special") {
        if (child.decision.action === "include") {
          warn({ code: "special-file", path: child.path, message: `skipped ${child.path}: FIFOs, sockets and devices are not part of a build context` });
        }
        continue;
      }
      const entry = toEntry(join(dir, child.name), child.path, type, stat);
      if (entry === undefined) continue;
      if (child.decision.action === "include") {
        yield* flush(pending);
        yield entry;
      }
      if (type !== "dir") continue;
      const id = `${stat.dev}:${stat.ino}`;
      if (ancestry.includes(id)) {
        warn({ code: "directory-cycle", path: child.path, message: `not descending into ${child.path}: it is one of its own ancestors (a bind mount?)` });
        continue;
      }
      const below: Pending[] = child.decision.action === "include" ? pending : [...pending, { entry, emitted: false }];
      yield* walkDir(join(dir, child.name), child.path, child.decision.state, below, [...ancestry, id]);
    }
  }

  function statChild(absolute: string, path: string): BigIntStats | undefined {
    try {
      return lstatSync(absolute, { bigint: true });
    } catch (error) {
      if (errorCode(error) === "ENOENT") {
        warn({ code: "vanished", path, message: `${path} was removed while the context was read` });
        return undefined;
      }
      throw fsError(error, path, "the entry");
    }
  }

  function toEntry(absolute: string, path: string, type: EntryType, stat: BigIntStats): WalkEntry | undefined {
    let linkTarget: string | undefined;
    if (type === "symlink") {
      try {
        linkTarget = readlinkSync(absolute);
      } catch (error) {
        if (errorCode(error) === "ENOENT") {
          warn({ code: "vanished", path, message: `${path} was removed while the context was read` });
          return undefined;
        }
        throw fsError(error, path, "the symlink");
      }
    }
    return makeEntry(path, type, stat, linkTarget);
  }
}

/** Builds a `WalkEntry` from an `lstat` result (bigint form). */
export function makeEntry(path: string, type: EntryType, stat: BigIntStats, linkTarget?: string): WalkEntry {
  const stMode = Number(stat.mode);
  const entry: WalkEntry = {
    path,
    type,
    mode: stMode & 0o7777,
    goMode: goFileMode(stMode),
    size: type === "dir" ? 0 : Number(stat.size),
    mtimeNs: stat.mtimeNs,
    dev: stat.dev,
    ino: stat.ino,
    nlink: Number(stat.nlink),
  };
  return linkTarget === undefined ? entry : { ...entry, linkTarget };
}

/** Yields the pending (lazily sent) parent directories that were not yet yielded, outermost first. */
function* flush(pending: Pending[]): Generator<WalkEntry> {
  for (const parent of pending) {
    if (parent.emitted) continue;
    parent.emitted = true;
    yield parent.entry;
  }
}

function direntType(dirent: Dirent<Buffer>): CandidateType | undefined {
  if (dirent.isFile()) return "file";
  if (dirent.isDirectory()) return "dir";
  if (dirent.isSymbolicLink()) return "symlink";
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) return "special";
  return undefined;
}

/** The entry type of an `lstat` result. */
export function statType(stat: BigIntStats): CandidateType {
  if (stat.isFile()) return "file";
  if (stat.isDirectory()) return "dir";
  if (stat.isSymbolicLink()) return "symlink";
  return "special";
}

/** The `code` of a Node system error, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

/** Maps a file system error to a `ContextError` naming the path. */
export function fsError(error: unknown, path: string, what: string): ContextError {
  const code = errorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "ENOENT") return new ContextError("not-found", `${what} ${path} does not exist`, { path }, { cause: error });
  if (code === "ENOTDIR") return new ContextError("not-a-directory", `${what} ${path} is not a directory`, { path }, { cause: error });
  return new ContextError("unreadable", `cannot read ${what} ${path}: ${reason}`, { path }, { cause: error });
}
