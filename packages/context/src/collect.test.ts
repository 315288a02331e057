import { createHash } from "node:crypto";
import { chmod, symlink } from "node:fs/promises";
import { join } from "node:path";
import { Image } from "@chutes/image-core";
import { afterEach, describe, expect, it } from "vitest";
import { asUnprivileged, cleanup, tempTree } from "../test/tree.ts";
import type { Node } from "../test/tree.ts";
import { collectContext, hashEntry } from "./collect.ts";
import { ContextError } from "./errors.ts";
import { listContext } from "./list.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(cleanup));
});

async function tree(nodes: Readonly<Record<string, Node>>): Promise<string> {
  const root = await tempTree(nodes);
  roots.push(root);
  return root;
}

const project: Record<string, Node> = {
  ".dockerignore": "# build outputs and deps\nnode_modules\n.git\n**/*.log\n!keep.log\ndocs\n!docs/keep.md\nbuild\n!build/never-there\n",
  "Dockerfile": "FROM scratch\n",
  "src/app.py": "print('hi')\n",
  "src/app.pyc": "bytecode",
  "src/pkg/__init__.py": "",
  "src/pkg/mod.pyc": "bytecode",
  "src/notes.log": "log",
  "keep.log": "kept",
  "debug.log": "dropped",
  "node_modules/left-pad/index.js": "module.exports = 1;\n",
  ".git/HEAD": "ref: refs/heads/main\n",
  "docs/keep.md": "# keep\n",
  "docs/drop.md": "# drop\n",
  "build/out.bin": "bin",
  "empty": { dir: true },
  "logs/today.log": "x",
  "requirements.txt": "numpy\n",
  "configs/a.yaml": "a: 1\n",
  "configs/b.yaml": "b: 2\n",
  "configs/c.json": "{}\n",
};

describe("collectContext without an image (docker build .)", () => {
  it("keeps the whole root minus .dockerignore, with Docker's directories", async () => {
    const root = await tree(project);
    const manifest = await collectContext({ root });
    expect(listContext(manifest)).toEqual([
      ".dockerignore",
      "Dockerfile",
      "configs/a.yaml",
      "configs/b.yaml",
      "configs/c.json",
      "docs/keep.md",
      "empty/",
      "keep.log",
      "logs/",
      "requirements.txt",
      "src/app.py",
      "src/app.pyc",
      "src/pkg/__init__.py",
      "src/pkg/mod.pyc",
    ]);
    expect(manifest.ignore.file).toBe(join(manifest.root, ".dockerignore"));
    expect(manifest.ignore.rules.map((rule) => rule.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(manifest.steps).toBeUndefined();
    expect(manifest.warnings).toEqual([]);
  });

  it("lists entries in Go walk order, excluded parents of kept paths included", async () => {
    const root = await tree(project);
    const manifest = await collectContext({ root });
    expect(manifest.entries.map((entry) => entry.path)).toEqual([
      ".dockerignore",
      "Dockerfile",
      "configs",
      "configs/a.yaml",
      "configs/b.yaml",
      "configs/c.json",
      "docs",
      "docs/keep.md",
      "empty",
      "keep.log",
      "logs",
      "requirements.txt",
      "src",
      "src/app.py",
      "src/app.pyc",
      "src/pkg",
      "src/pkg/__init__.py",
      "src/pkg/mod.pyc",
    ]);
  });

  it("reads <Dockerfile>.dockerignore next to the Dockerfile instead, when it exists", async () => {
    const root = await tree({ ...project, "build/app.Dockerfile": "FROM scratch\n", "build/app.Dockerfile.dockerignore": "src\nconfigs/*.yaml\n" });
    const manifest = await collectContext({ root, dockerfile: "build/app.Dockerfile" });
    expect(manifest.ignore.file).toBe(join(manifest.root, "build/app.Dockerfile.dockerignore"));
    const list = listContext(manifest);
    expect(list).toContain("node_modules/left-pad/index.js");
    expect(list).toContain("configs/c.json");
    expect(list.some((path) => path.startsWith("src/") || path.endsWith(".yaml"))).toBe(false);

    const fallback = await collectContext({ root, dockerfile: "Dockerfile" });
    expect(fallback.ignore.file).toBe(join(fallback.root, ".dockerignore"));
  });

  it("takes an explicit ignore file, or none", async () => {
    const root = await tree({ ...project, "other.ignore": "*\n!requirements.txt\n" });
    expect(listContext(await collectContext({ root, ignoreFile: "other.ignore" }))).toEqual(["requirements.txt"]);
    const all = await collectContext({ root, ignoreFile: false });
    expect(all.ignore).toEqual({ rules: [] });
    expect(listContext(all)).toContain(".git/HEAD");
    await expect(collectContext({ root, ignoreFile: "missing.ignore" })).rejects.toMatchObject({ code: "not-found" });
  });

  it("refuses a malformed .dockerignore, naming the line", async () => {
    const root = await tree({ ".dockerignore": "ok\n[unclosed\n", "a": "a" });
    const error = await collectContext({ root }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContextError);
    expect(error).toMatchObject({ code: "invalid-dockerignore", line: 2 });
  });

  it("computes content hashes on request, streaming", async () => {
    const root = await tree({ "a.txt": "hello", "dir/b.txt": "" });
    const manifest = await collectContext({ root, hash: true });
    const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
    expect(manifest.entries.map((entry) => [entry.path, entry.digest])).toEqual([
      ["a.txt", sha("hello")],
      ["dir", undefined],
      ["dir/b.txt", sha("")],
    ]);
    const lazy = await collectContext({ root });
    const file = lazy.entries.find((entry) => entry.path === "a.txt");
    expect(file?.digest).toBeUndefined();
    expect(await hashEntry(lazy, file!)).toBe(sha("hello"));
    await expect(hashEntry(lazy, lazy.entries.find((entry) => entry.type === "dir")!)).rejects.toMatchObject({ code: "invalid-option" });
  });

  it("reports an unreadable file as ContextError unreadable", async () => {
    const root = await tree({ "secret.txt": "s", "ok.txt": "o" });
    await chmod(join(root, "secret.txt"), 0o000);
    const error = await asUnprivileged(() => collectContext({ root })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "unreadable", path: "secret.txt" });
  });
});

describe("collectContext with an image", () => {
  const base = () => new Image("me", "app", "1.0.0").fromBase("python:3.11-slim");

  it("keeps only what add/copy steps reference, minus their excludes and .dockerignore", async () => {
    const root = await tree(project);
    const image = base()
      .copy("requirements.txt", "/app/")
      .withEnv("SRC", "src")
      .copy("$SRC", "/app/src", { exclude: ["**/*.pyc"] })
      .add(["https://example.com/model.bin", "configs/*.yaml"], "/etc/app/")
      .copy("docs", "/docs");
    const manifest = await collectContext({ root, image });
    expect(listContext(manifest)).toEqual([
      "configs/a.yaml",
      "configs/b.yaml",
      "docs/keep.md",
      "requirements.txt",
      "src/app.py",
      "src/pkg/__init__.py",
    ]);
    expect(manifest.steps).toEqual([
      { stage: "app", step: 0, kind: "copy", sources: ["requirements.txt"], exclude: [] },
      { stage: "app", step: 2, kind: "copy", sources: ["src"], exclude: ["**/*.pyc"] },
      { stage: "app", step: 3, kind: "add", sources: ["configs/*.yaml"], exclude: [] },
      { stage: "app", step: 4, kind: "copy", sources: ["docs"], exclude: [] },
    ]);
  });

  it("applies a step's exclude relative to each source, never to the source itself", async () => {
    const root = await tree({ "a.txt": "a", "dir/a.txt": "a", "dir/sub/a.txt": "a", "dir/b.md": "b" });
    const image = base().copy(["a.txt", "dir"], "/x/", { exclude: ["a.txt"] });
    expect(listContext(await collectContext({ root, image }))).toEqual(["a.txt", "dir/b.md", "dir/sub/a.txt"]);
  });

  it("accepts the IR as well as an Image, and sees every stage", async () => {
    const root = await tree({ "builder.sh": "b", "runtime.sh": "r", "unused": "u" });
    const builder = base().copy("builder.sh", "/b.sh");
    const image = base().copyFrom(builder, "/b.sh", "/b.sh").copy("runtime.sh", "/r.sh");
    const spec = image.toJSON();
    expect(listContext(await collectContext({ root, image: spec }))).toEqual(["builder.sh", "runtime.sh"]);
  });

  it("takes . as the whole root and ** globs across directories", async () => {
    const root = await tree(project);
    const all = await collectContext({ root, image: base().copy(".", "/app", { exclude: ["src"] }) });
    expect(listContext(all)).toEqual(listContext(await collectContext({ root })).filter((path) => !path.startsWith("src/")));
    const md = await collectContext({ root, image: base().copy(["**/*.md", "src/**/__init__.py"], "/md/") });
    expect(listContext(md)).toEqual(["docs/keep.md", "src/pkg/__init__.py"]);
  });

  it("warns about a source that does not exist and one that .dockerignore removes", async () => {
    const root = await tree(project);
    const manifest = await collectContext({ root, image: base().copy(["missing.txt", "requirements.txt"], "/a/").copy("node_modules", "/nm") });
    expect(listContext(manifest)).toEqual(["requirements.txt"]);
    expect(manifest.warnings).toEqual([
      expect.objectContaining({ code: "source-not-found", step: 0, stage: "app", path: "missing.txt" }),
      expect.objectContaining({ code: "source-ignored", step: 1, stage: "app", path: "node_modules" }),
    ]);
  });

  it("refuses sources that escape the root, naming the step and the path", async () => {
    const root = await tree({ "a": "a" });
    for (const source of ["../etc/passwd", "a/../../x", "/etc/passwd"]) {
      const error = await collectContext({ root, image: base().copy("a", "/a").copy(source, "/x") }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ContextError);
      expect(error).toMatchObject({ code: "outside-context", step: 1 });
      expect((error as Error).message).toContain(JSON.stringify(source));
    }
  });

  it("follows a referenced symlink inside the root, and refuses one that points outside", async () => {
    const root = await tree({
      "releases/v2/app.py": "v2",
      "releases/v1/app.py": "v1",
      "current": { link: "releases/v2" },
      "escape": { link: "../../etc" },
      "absolute": { link: "/etc/hostname" },
      "lib/link-out": { link: "/etc/passwd" },
      "lib/mod.py": "m",
    });
    const image = base().copy("current/", "/app").copy("lib", "/lib");
    expect(listContext(await collectContext({ root, image }))).toEqual(["current", "lib/link-out", "lib/mod.py", "releases/v2/app.py"]);

    for (const [source, link] of [["escape", "escape"], ["absolute", "absolute"], ["escape/passwd", "escape"]] as const) {
      const error = await collectContext({ root, image: base().copy(source, "/x") }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "outside-context", step: 0, path: link });
    }
  });

  it("follows symlinks that a glob matched (refusing one that leads outside), and stops on a symlink loop", async () => {
    const root = await tree({ "models/current": { link: "../store/m1" }, "store/m1/w.bin": "w", "store/m2/w.bin": "w2" });
    expect(listContext(await collectContext({ root, image: base().copy("models/*", "/models/") }))).toEqual(["models/current", "store/m1/w.bin"]);
    await symlink("/etc", join(root, "models/system"));
    await expect(collectContext({ root, image: base().copy("models/*", "/models/") })).rejects.toMatchObject({ code: "outside-context", step: 0, path: "models/system" });
    await symlink("../nowhere", join(root, "store/dangling"));
    const dangling = await collectContext({ root, image: base().copy("store/*", "/store/") });
    expect(listContext(dangling)).toEqual(["store/dangling", "store/m1/w.bin", "store/m2/w.bin"]);
    expect(dangling.warnings).toEqual([expect.objectContaining({ code: "source-not-found", path: "store/dangling", step: 0 })]);
    await symlink("loop-b", join(root, "loop-a"));
    await symlink("loop-a", join(root, "loop-b"));
    await expect(collectContext({ root, image: base().copy("loop-a", "/x") })).rejects.toMatchObject({ code: "unreadable", step: 0 });
  });
});
