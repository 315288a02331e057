import { link, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SessionError } from "./errors.ts";
import { GoMode } from "./go-mode.ts";
import { sessionSharedKey } from "./shared-key.ts";
import type { SyncEntry, SyncSource } from "./source.ts";
import { directorySource, manifestSource, memorySource } from "./source.ts";

async function collect(source: SyncSource): Promise<SyncEntry[]> {
  const out: SyncEntry[] = [];
  for await (const entry of source.entries({ dirName: "x", includePatterns: [], excludePatterns: [], followPaths: [], overrideExcludes: false })) out.push(entry);
  return out;
}

async function read(source: SyncSource, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await source.open(path)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

describe("memorySource", () => {
  it("yields files with the directories their paths imply, in Go walk order", async () => {
    const source = memorySource({ "b.txt": "b", "a/z": "z", "a-b": "ab", "a/c/d": "d" });
    expect((await collect(source)).map((entry) => [entry.path, entry.mode, entry.size])).toEqual([
      ["a", (GoMode.dir | 0o755) >>> 0, 0],
      ["a/c", (GoMode.dir | 0o755) >>> 0, 0],
      ["a/c/d", 0o644, 1],
      ["a/z", 0o644, 1],
      ["a-b", 0o644, 2],
      ["b.txt", 0o644, 1],
    ]);
    expect(await read(source, "a-b")).toBe("ab");
  });

  it("derives each mtime from the contents: equal contents, equal mtime; changed contents, new mtime", async () => {
    const mtime = async (content: string) => (await collect(memorySource({ Dockerfile: content })))[0]?.mtimeNs;
    expect(await mtime("FROM scratch\n")).toBe(await mtime("FROM scratch\n"));
    expect(await mtime("FROM scratch\n")).not.toBe(await mtime("FROM scratch!\n"));
    const value = (await mtime("x")) ?? 0n;
    expect(value >= 946_684_800_000_000_000n && value < 946_684_800_000_000_000n + 100_000_000_000_000_000n).toBe(true);
  });

  it("refuses paths that are not clean and relative", () => {
    expect(() => memorySource({ "../x": "" })).toThrow(SessionError);
    expect(() => memorySource({ "a/": "" })).toThrow(SessionError);
    expect(() => memorySource({ a: "", "a/b": "" })).toThrow(/both a file and a directory/);
  });
});

describe("directorySource", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "chutes-source-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("sends later paths of a hard-linked file as links to the first, with size 0", async () => {
    await mkdir(join(dir, "d"));
    await writeFile(join(dir, "d", "first"), "content");
    await link(join(dir, "d", "first"), join(dir, "second"));
    const entries = await collect(directorySource(dir));
    expect(entries.map((entry) => [entry.path, entry.size, entry.linkTarget])).toEqual([
      ["d", 0, undefined],
      ["d/first", 7, undefined],
      ["second", 0, "d/first"],
    ]);
    expect(await read(directorySource(dir), "d/first")).toBe("content");
  });
});

describe("sessionSharedKey", () => {
  it("is stable per absolute context path and differs between paths and scopes", () => {
    expect(sessionSharedKey("/srv/app")).toBe(sessionSharedKey("/srv/app/"));
    expect(sessionSharedKey("/srv/app")).toMatch(/^chutes-[0-9a-f]{32}$/);
    expect(sessionSharedKey("/srv/app")).not.toBe(sessionSharedKey("/srv/other"));
    expect(sessionSharedKey("/srv/app")).not.toBe(sessionSharedKey("/srv/app", "image-b"));
  });
});

describe("manifestSource", () => {
  const base = { mtimeNs: 5n, dev: 1n, nlink: 1 };
  const manifest = {
    root: "/nonexistent-root",
    entries: [
      { ...base, path: "a", type: "dir" as const, goMode: (GoMode.dir | 0o755) >>> 0, size: 0, ino: 1n },
      { ...base, path: "a/f", type: "file" as const, goMode: 0o644, size: 3, ino: 2n, nlink: 2 },
      { ...base, path: "b", type: "file" as const, goMode: 0o644, size: 3, ino: 2n, nlink: 2 },
      { ...base, path: "l", type: "symlink" as const, goMode: (GoMode.symlink | 0o777) >>> 0, size: 3, ino: 3n, linkTarget: "a/f" },
    ],
  };

  it("yields the manifest's entries as they are, later hard links as links to the first path", async () => {
    expect((await collect(manifestSource(manifest))).map((entry) => [entry.path, entry.mode, entry.size, entry.mtimeNs, entry.linkTarget])).toEqual([
      ["a", (GoMode.dir | 0o755) >>> 0, 0, 5n, undefined],
      ["a/f", 0o644, 3, 5n, undefined],
      ["b", 0o644, 0, 5n, "a/f"],
      ["l", (GoMode.symlink | 0o777) >>> 0, 3, 5n, "a/f"],
    ]);
  });

  it("opens only regular files of the manifest", () => {
    const source = manifestSource(manifest);
    expect(() => source.open("l")).toThrow(SessionError);
    expect(() => source.open("../etc/passwd")).toThrow(SessionError);
  });
});
