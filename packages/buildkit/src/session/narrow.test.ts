import { describe, expect, it } from "vitest";
import { GoMode } from "./go-mode.ts";
import type { SyncRequest } from "./metadata.ts";
import { cleanPattern, followLinks, matchPrefix, narrowEntries } from "./narrow.ts";
import type { SyncEntry } from "./source.ts";

const dir = (path: string): SyncEntry => ({ path, mode: (GoMode.dir | 0o755) >>> 0, size: 0, mtimeNs: 0n });
const file = (path: string): SyncEntry => ({ path, mode: 0o644, size: 1, mtimeNs: 0n });
const link = (path: string, target: string): SyncEntry => ({ path, mode: (GoMode.symlink | 0o777) >>> 0, size: target.length, mtimeNs: 0n, linkTarget: target });

const tree: SyncEntry[] = [
  file(".dockerignore"),
  file("Dockerfile"),
  link("df", "build/Dockerfile.real"),
  dir("build"),
  file("build/Dockerfile.real"),
  file("build/other"),
  dir("src"),
  dir("src/a"),
  file("src/a/x.ts"),
  file("src/a/y.js"),
  file("src/b.ts"),
  link("up", "../../../etc/passwd"),
];

function request(fields: Partial<SyncRequest>): SyncRequest {
  return { dirName: "context", includePatterns: [], excludePatterns: [], followPaths: [], overrideExcludes: false, ...fields };
}

async function paths(fields: Partial<SyncRequest>): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of narrowEntries(tree, request(fields))) out.push(entry.path);
  return out;
}

describe("narrowEntries", () => {
  it("passes everything through without include patterns or followpaths (excludes are the source's job)", async () => {
    expect(await paths({ excludePatterns: ["src"] })).toEqual(tree.map((entry) => entry.path));
  });

  it("keeps matches of include patterns and the directories on their way", async () => {
    expect(await paths({ includePatterns: ["src/a/*.ts"] })).toEqual(["src", "src/a", "src/a/x.ts"]);
    expect(await paths({ includePatterns: ["src"] })).toEqual(["src", "src/a", "src/a/x.ts", "src/a/y.js", "src/b.ts"]);
    expect(await paths({ includePatterns: ["./src/b.ts", "Dockerfile"] })).toEqual(["Dockerfile", "src", "src/b.ts"]);
  });

  it("sends only the followpaths, and both a symlink and its target", async () => {
    expect(await paths({ followPaths: [".dockerignore"] })).toEqual([".dockerignore"]);
    expect(await paths({ followPaths: ["df", "df.dockerignore"] })).toEqual(["df", "build", "build/Dockerfile.real"]);
    expect(await paths({ followPaths: ["missing"] })).toEqual([]);
  });
});

describe("followLinks", () => {
  it("resolves links inside the tree, never above its root", () => {
    expect(followLinks(tree, ["df"]).sort()).toEqual(["build/Dockerfile.real", "df"]);
    expect(followLinks(tree, ["up"]).sort()).toEqual(["etc/passwd", "up"]);
    expect(followLinks(tree, ["d*"]).sort()).toEqual(["build/Dockerfile.real", "d*"]);
    expect(followLinks(tree, ["."])).toEqual(["."]);
  });
});

describe("matchPrefix and cleanPattern", () => {
  it("matches a pattern cut to the path's depth as partial", () => {
    expect(matchPrefix("src/a/*.ts", "src")).toEqual({ ok: true, partial: true });
    expect(matchPrefix("src/a/*.ts", "src/a/x.ts")).toEqual({ ok: true, partial: false });
    expect(matchPrefix("src/a/*.ts", "lib")).toEqual({ ok: false, partial: true });
  });

  it("cleans like Go's filepath.Clean, without a leading slash", () => {
    expect(["./a//b/", "/a/../b", "a/./b/..", ".", "", "../x"].map(cleanPattern)).toEqual(["a/b", "b", "a", ".", ".", "../x"]);
  });
});
