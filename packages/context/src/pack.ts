// packContext: the manifest as a tar stream, deterministic and with bounded memory.
//
// Headers are encoded with the `tar` package's `Header` (ustar, with a pax extended header for long or
// non-ASCII names and for sizes past 8 GiB); the stream around them is ours. `tar`'s own `Pack` re-reads
// the file system and cannot write uid/gid 0 without also rewriting permissions (`portable` applies a
// umask and drops directory mtimes), and without `portable` it writes the user's name and, in pax headers,
// device, inode and link counts: none of that is reproducible.

import { Readable } from "node:stream";
import { Header, Pax } from "tar";
import type { ContextEntry, ContextManifest } from "./collect.ts";
import { ContextError } from "./errors.ts";
import { cooperate } from "./cooperate.ts";
import { readContextFile } from "./read.ts";

export interface PackOptions {
  /**
   * Normalize modification times so the same context gives the same bytes anywhere: every entry gets `mtime`,
   * else `SOURCE_DATE_EPOCH`, else 0 (1970-01-01).
   */
  readonly reproducible?: boolean;
  /** Force every entry's modification time (a `Date`, or Unix seconds), reproducible or not. */
  readonly mtime?: Date | number;
  readonly signal?: AbortSignal;
}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);

/**
 * Streams `manifest` as a tar archive: entries in manifest order (parents first, siblings sorted), directories
 * with a trailing `/`, symlinks as links, files with their contents read in chunks with backpressure. Every
 * header has uid and gid 0 and no user or group name; permissions (with setuid/setgid/sticky) are kept as
 * they are. Errors (`ContextError` `unreadable` when a file vanished or changed size since it was collected)
 * are emitted on the stream.
 */
export function packContext(manifest: ContextManifest, options: PackOptions = {}): Readable {
  const fixed = fixedMtime(options);
  return Readable.from(generate(manifest, fixed, options.signal), { objectMode: false, highWaterMark: 64 * 1024 });
}

async function* generate(manifest: ContextManifest, fixed: Date | undefined, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  for (const entry of manifest.entries) {
    signal?.throwIfAborted();
    const mtime = fixed ?? new Date(Number(entry.mtimeNs / 1_000_000_000n) * 1000);
    yield encodeHeader(entry, mtime);
    if (entry.type !== "file" || entry.size === 0) continue;
    for (const chunk of readContextFile(manifest.root, entry)) {
      yield chunk;
      await cooperate();
    }
    const pad = padding(entry.size);
    if (pad.length > 0) yield pad;
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The header block(s) of one entry: a pax header first when ustar cannot hold the name, link or size. */
export function encodeHeader(entry: ContextEntry, mtime: Date): Buffer {
  const path = entry.type === "dir" ? `${entry.path}/` : entry.path;
  const linkpath = entry.type === "symlink" ? (entry.linkTarget ?? "") : "";
  const size = entry.type === "file" ? entry.size : 0;
  const header = new Header({
    path,
    mode: entry.mode,
    uid: 0,
    gid: 0,
    size,
    mtime,
    type: entry.type === "dir" ? "Directory" : entry.type === "symlink" ? "SymbolicLink" : "File",
    linkpath,
    uname: "",
    gname: "",
    devmaj: 0,
    devmin: 0,
  });
  const needPax = header.encode();
  const block = header.block;
  if (block === undefined) throw new ContextError("invalid-option", `could not encode the tar header of ${entry.path}`, { path: entry.path });
  if (!needPax) return block;
  return Buffer.concat([paxHeader(path, linkpath, size, mtime), block]);
}

/** A pax extended header (typeflag `x`) with only the fields ustar could not hold, and uid/gid 0. */
function paxHeader(path: string, linkpath: string, size: number, mtime: Date): Buffer {
  const fields = new Pax({
    path,
    ...(linkpath === "" ? {} : { linkpath }),
    ...(size > 0o77777777777 ? { size } : {}),
  });
  const body = Buffer.from(fields.encodeBody(), "utf8");
  const name = `PaxHeader/${path.replace(/\/$/, "").split("/").pop() ?? ""}`;
  const header = new Header({
    path: Buffer.byteLength(name) > 99 ? Buffer.from(name).subarray(0, 99).toString("utf8").replace(/\uFFFD+$/, "") : name,
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime,
    type: "ExtendedHeader",
    linkpath: "",
    uname: "",
    gname: "",
    devmaj: 0,
    devmin: 0,
  });
  header.encode();
  const block = header.block ?? Buffer.alloc(BLOCK);
  return Buffer.concat([block, body, padding(body.length)]);
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : ZERO_BLOCK.subarray(0, BLOCK - rest);
}

/** The modification time every entry gets, or `undefined` to keep each entry's own (whole seconds). */
function fixedMtime(options: PackOptions): Date | undefined {
  if (options.mtime !== undefined) {
    const date = typeof options.mtime === "number" ? new Date(options.mtime * 1000) : options.mtime;
    if (Number.isNaN(date.getTime()) || date.getTime() < 0) {
      throw new ContextError("invalid-option", `mtime must be a date at or after 1970-01-01, got ${String(options.mtime)}`);
    }
    return new Date(Math.floor(date.getTime() / 1000) * 1000);
  }
  if (options.reproducible !== true) return undefined;
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch.trim() === "") return new Date(0);
  if (!/^\d+$/.test(epoch.trim())) {
    throw new ContextError("invalid-option", `SOURCE_DATE_EPOCH must be a whole number of seconds, got ${JSON.stringify(epoch)}`);
  }
  return new Date(Number(epoch.trim()) * 1000);
}
