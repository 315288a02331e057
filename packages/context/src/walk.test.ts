import { execFileSync } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asUnprivileged, cleanup, tempTree, touch } from "../test/tree.ts";
import { ContextError } from "./errors.ts";
import type { ContextWarning, WalkEntry } from "./walk.ts";
import { GoFileMode, compareNames, comparePaths, goFileMode, walkTree } from "./walk.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(cleanup));
});

async function tree(...args: Parameters<typeof tempTree>): Promise<string> {
  const root = await tempTree(...args);
  roots.push(root);
  return root;
}

async function collect<S>(root: string, options: Parameters<typeof walkTree<S>>[1] = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkTree(root, options)) out.push(entry);
  return out;
}

describe("walkTree order", () => {
  it("yields parents first and siblings byte-wise by their UTF-8 names (Go filepath.Walk order)", async () => {
    const names = ["😀", "ｆ", "ä", "a.b", "a-b", "B", "Z", "_", "~", "a/x", "a/B", "a/ä"];
    const root = await tree(Object.fromEntries(names.map((name) => [name, name])));
    const paths = (await collect(root)).map((entry) => entry.path);
    expect(paths).toEqual(["B", "Z", "_", "a", "a/B", "a/x", "a/ä", "a-b", "a.b", "~", "ä", "ｆ", "😀"]);
    // JavaScript's own string order disagrees for astral characters: the reason for byte-wise comparison.
    expect(["ｆ", "😀"].sort()).toEqual(["😀", "ｆ"]);
  });

  it("compares names and paths the same way", () => {
    expect(compareNames("ｆ", "😀")).toBeLessThan(0);
    expect(compareNames("a", "B")).toBeGreaterThan(0);
    const paths = ["a-b", "a/b", "a", "a.b", "a/b/c", "B"];
    expect([...paths].sort(comparePaths)).toEqual(["B", "a", "a/b", "a/b/c", "a-b", "a.b"]);
  });

  it("gives the same order whatever order the files were created in", async () => {
    const nodes = { "x/2": "2", "x/10": "10", "x/1": "1", "y": "y", "X": "X" };
    const first = await tree(nodes, ["x/2", "x/10", "x/1", "y", "X"]);
    const second = await tree(nodes, ["X", "y", "x/1", "x/10", "x/2"]);
    const a = (await collect(first)).map((entry) => entry.path);
    const b = (await collect(second)).map((entry) => entry.path);
    expect(a).toEqual(["X", "x", "x/1", "x/10", "x/2", "y"]);
    expect(b).toEqual(a);
  });
});

describe("walkTree entries", () => {
  it("reports type, permission bits, Go FileMode, size, nanosecond mtime and link targets from lstat", async () => {
    const root = await tree({
      "dir": { dir: true, mode: 0o750 },
      "dir/run.sh": { content: "#!/bin/sh\n", mode: 0o4755 },
      "file.txt": "hello",
      "link": { link: "dir/run.sh" },
    });
    await touch(join(root, "file.txt"), 1_700_000_000);
    const entries = await collect(root);
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    expect(byPath.get("dir")).toMatchObject({ type: "dir", mode: 0o750, goMode: (GoFileMode.dir | 0o750) >>> 0, size: 0 });
    expect(byPath.get("dir/run.sh")).toMatchObject({ type: "file", mode: 0o4755, goMode: GoFileMode.setuid | 0o755, size: 10 });
    expect(byPath.get("file.txt")).toMatchObject({ type: "file", mode: 0o644, goMode: 0o644, size: 5, mtimeNs: 1_700_000_000_000_000_000n });
    expect(byPath.get("link")).toMatchObject({ type: "symlink", goMode: (GoFileMode.symlink | 0o777) >>> 0, size: 10, linkTarget: "dir/run.sh" });
    expect(byPath.get("dir")?.goMode).toBe(0x800001e8);
  });

  it("never follows symlinks, to directories or in loops", async () => {
    const root = await tree({
      "real/inside.txt": "x",
      "to-real": { link: "real" },
      "loop-a": { link: "loop-b" },
      "loop-b": { link: "loop-a" },
      "self": { link: "." },
      "outside": { link: "/etc" },
    });
    const paths = (await collect(root)).map((entry) => `${entry.path}:${entry.type}`);
    expect(paths).toEqual(["loop-a:symlink", "loop-b:symlink", "outside:symlink", "real:dir", "real/inside.txt:file", "self:symlink", "to-real:symlink"]);
  });

  it("skips FIFOs with a warning, only when they would have been included", async () => {
    const root = await tree({ "a.txt": "a", "ignored/": { dir: true } });
    execFileSync("mkfifo", [join(root, "pipe")]);
    execFileSync("mkfifo", [join(root, "ignored", "pipe")]);
    const warnings: ContextWarning[] = [];
    const entries = await collect<undefined>(root, {
      onWarning: (warning) => warnings.push(warning),
      decide: (path) => ({ action: path.startsWith("ignored/") ? "exclude" : "include", state: undefined }),
    });
    expect(entries.map((entry) => entry.path)).toEqual(["a.txt", "ignored"]);
    expect(warnings).toEqual([expect.objectContaining({ code: "special-file", path: "pipe" })]);
  });
});

describe("walkTree decisions", () => {
  const nodes = {
    "keep/a.txt": "a",
    "skip/b.txt": "b",
    "skip/deep/c.txt": "c",
    "lazy/no.txt": "n",
    "lazy/deep/yes.txt": "y",
    "lazy/deep/no.txt": "n",
    "empty-lazy/no.txt": "n",
  };

  it("does not descend into excluded directories and yields descended ones only before a kept descendant", async () => {
    const root = await tree(nodes);
    const visited: string[] = [];
    const entries = await collect<undefined>(root, {
      decide: (path, type) => {
        visited.push(path);
        if (path === "skip") return { action: "exclude", state: undefined };
        if (path === "lazy" || path === "lazy/deep" || path === "empty-lazy") return { action: "descend", state: undefined };
        if (type === "file" && path.endsWith("no.txt")) return { action: "exclude", state: undefined };
        return { action: "include", state: undefined };
      },
    });
    expect(entries.map((entry) => entry.path)).toEqual(["keep", "keep/a.txt", "lazy", "lazy/deep", "lazy/deep/yes.txt"]);
    expect(visited.filter((path) => path.startsWith("skip/"))).toEqual([]);
  });

  it("hands each directory's state to its children", async () => {
    const root = await tree({ "a/b/c.txt": "c" });
    const seen: [string, number | undefined][] = [];
    await collect<number>(root, {
      decide: (path, _type, depth) => {
        seen.push([path, depth]);
        return { action: "include", state: (depth ?? 0) + 1 };
      },
    });
    expect(seen).toEqual([["a", undefined], ["a/b", 1], ["a/b/c.txt", 2]]);
  });
});

describe("walkTree errors", () => {
  it("refuses a root that is not a directory", async () => {
    const root = await tree({ "file": "x" });
    await expect(collect(join(root, "file"))).rejects.toMatchObject({ code: "not-a-directory" });
    await expect(collect(join(root, "missing"))).rejects.toMatchObject({ code: "not-found" });
  });

  it("reports an unreadable directory as ContextError unreadable, naming it", async () => {
    const root = await tree({ "open/a": "a" });
    await mkdir(join(root, "closed"));
    await chmod(join(root, "closed"), 0o000);
    const error = await asUnprivileged(() => collect(root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContextError);
    expect(error).toMatchObject({ code: "unreadable", path: "closed" });
  });
});

describe("goFileMode", () => {
  it("maps st_mode types and special bits as Go's os.FileMode does", () => {
    expect(goFileMode(0o040755)).toBe(0x800001ed);
    expect(goFileMode(0o120777)).toBe(((1 << 27) | 0o777) >>> 0);
    expect(goFileMode(0o100644)).toBe(0o644);
    expect(goFileMode(0o020666)).toBe(((1 << 26) | (1 << 21) | 0o666) >>> 0);
    expect(goFileMode(0o060660)).toBe(((1 << 26) | 0o660) >>> 0);
    expect(goFileMode(0o010644)).toBe(((1 << 25) | 0o644) >>> 0);
    expect(goFileMode(0o140755)).toBe(((1 << 24) | 0o755) >>> 0);
    expect(goFileMode(0o106755)).toBe(((1 << 23) | (1 << 22) | 0o755) >>> 0);
    expect(goFileMode(0o041777)).toBe(((1 << 31) | (1 << 20) | 0o777) >>> 0);
  });
});
