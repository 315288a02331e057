// Listings of an uncompressed tar archive (USTAR, PAX and GNU long names; test-sized archives only), for comparing
// images: `listTree` and `treeLines` give path, type, permission and special bits, owner, size, link target and a
// content hash per entry, no mtimes; `listTar` gives each member's contents.

import { createHash } from "node:crypto";

export interface TreeEntry {
  /** Relative, no leading `./` or trailing `/`. */
  readonly path: string;
  /** `file`, `dir`, `symlink`, `hardlink`, `char`, `block`, `fifo`. */
  readonly type: string;
  /** Permission and setuid/setgid/sticky bits, octal. */
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly link?: string;
  /** sha256 of a regular file's contents. */
  readonly sha256?: string;
}

export interface TarMember {
  /** As `TreeEntry.path`. */
  readonly name: string;
  /** The header's type flag: `0` file (also for a NUL flag), `5` directory, `2` symlink... */
  readonly type: string;
  readonly data: Buffer;
}

const TYPES: Readonly<Record<string, string>> = { "0": "file", "\0": "file", "7": "file", "1": "hardlink", "2": "symlink", "3": "char", "4": "block", "5": "dir", "6": "fifo" };

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}

function numeric(header: Buffer, start: number, length: number): number {
  const raw = header.subarray(start, start + length);
  if (((raw[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256.
    let value = 0;
    for (let i = 1; i < raw.length; i++) value = value * 256 + (raw[i] ?? 0);
    return value;
  }
  const text = field(header, start, length).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(offset, space).toString("ascii"), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return out;
}

function clean(path: string): string {
  return path.replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
}

/** One member with its long name, link and PAX records applied; the root `.` included. */
interface Member {
  readonly header: Buffer;
  readonly typeflag: string;
  /** Cleaned (see `clean`). */
  readonly path: string;
  /** As written: a hard link's target is cleaned by the caller. */
  readonly link: string;
  readonly size: number;
  readonly pax: ReadonlyMap<string, string>;
  readonly data: Buffer;
}

function* members(tar: Buffer): Generator<Member> {
  let offset = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const typeflag = String.fromCharCode(header[156] ?? 0);
    const size = Number(pax.get("size") ?? numeric(header, 124, 12));
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (typeflag === "x") {
      pax = new Map([...pax, ...parsePax(data)]);
      continue;
    }
    if (typeflag === "g") continue;
    if (typeflag === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (typeflag === "K") {
      longLink = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = pax.get("path") ?? longName ?? (prefix === "" ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`);
    const link = pax.get("linkpath") ?? longLink ?? field(header, 157, 100);
    yield { header, typeflag, path: clean(name), link, size, pax, data };
    pax = new Map();
    longName = undefined;
    longLink = undefined;
  }
}

function isRoot(path: string): boolean {
  return path === "" || path === ".";
}

/**
 * Every entry of an uncompressed tar, in archive order (the root `.` left out). `normalize` may replace a regular
 * file's contents before they are hashed (to blank a timestamp a file format embeds).
 */
export function listTree(tar: Buffer, normalize?: (path: string, data: Buffer) => Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const { header, typeflag, path, link, size, pax, data } of members(tar)) {
    if (isRoot(path)) continue;
    const type = TYPES[typeflag] ?? `type-${typeflag}`;
    entries.push({
      path,
      type,
      mode: (numeric(header, 100, 8) & 0o7777).toString(8).padStart(4, "0"),
      uid: Number(pax.get("uid") ?? numeric(header, 108, 8)),
      gid: Number(pax.get("gid") ?? numeric(header, 116, 8)),
      size: type === "file" ? size : 0,
      ...(type === "symlink" || type === "hardlink" ? { link: type === "hardlink" ? clean(link) : link } : {}),
      ...(type === "file" ? { sha256: createHash("sha256").update(normalize === undefined ? data : normalize(path, data)).digest("hex") } : {}),
    });
  }
  return entries;
}

/** One line per entry, sorted by path: what two trees are compared by. */
export function treeLines(entries: readonly TreeEntry[]): string[] {
  return entries
    .map((e) => [e.path, e.type, e.mode, `${e.uid}:${e.gid}`, e.size, e.link === undefined ? "" : `-> ${e.link}`, e.sha256 ?? ""].join(" ").trimEnd())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every member of an uncompressed tar with its contents, in archive order (the root `.` left out). */
export function listTar(tar: Buffer): TarMember[] {
  const out: TarMember[] = [];
  for (const { typeflag, path, data } of members(tar)) {
    if (isRoot(path)) continue;
    out.push({ name: path, type: typeflag === "\0" ? "0" : typeflag, data });
  }
  return out;
}
