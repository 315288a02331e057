import { join } from "node:path";
import { Image } from "@chutes/image-core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, tempTree } from "../test/tree.ts";
import type { Node } from "../test/tree.ts";
import { collectContext } from "./collect.ts";
import { explainContext } from "./explain.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(cleanup));
});

async function tree(nodes: Readonly<Record<string, Node>>): Promise<string> {
  const root = await tempTree(nodes);
  roots.push(root);
  return root;
}

const nodes: Record<string, Node> = {
  ".dockerignore": "# deps\nnode_modules\n*.md\n!README.md\ndocs\n!docs/keep.txt\n",
  "README.md": "r",
  "CHANGES.md": "c",
  "node_modules/x/index.js": "x",
  "docs/keep.txt": "k",
  "docs/drop.txt": "d",
  "src/app.py": "a",
  "src/app.pyc": "b",
};

describe("explainContext", () => {
  it("names the .dockerignore line that excluded or re-included a path", async () => {
    const root = await tree(nodes);
    const manifest = await collectContext({ root });
    const changes = await explainContext(manifest, "CHANGES.md");
    expect(changes).toMatchObject({ path: "CHANGES.md", included: false, type: "file", ignore: { excluded: true, rule: { line: 3, text: "*.md" } } });
    expect(changes.reason).toBe("CHANGES.md is out: .dockerignore excludes it (line 3: *.md)");
    const readme = await explainContext(manifest, "./README.md");
    expect(readme).toMatchObject({ included: true, ignore: { excluded: false, rule: { line: 4, text: "!README.md", exclusion: true } } });
    expect(readme.reason).toBe("README.md is in: .dockerignore re-includes it (line 4: !README.md)");
    const app = await explainContext(manifest, join(root, "src/app.py"));
    expect(app).toMatchObject({ path: "src/app.py", included: true, ignore: { excluded: false } });
    expect(app.ignore.rule).toBeUndefined();
    expect(app.reason).toBe("src/app.py is in: no .dockerignore rule matches it");
  });

  it("points at the excluded directory above a path that was never walked", async () => {
    const root = await tree(nodes);
    const explanation = await explainContext({ root }, "node_modules/x/index.js");
    expect(explanation).toMatchObject({ included: false, cutAt: "node_modules", ignore: { excluded: true, rule: { line: 2, text: "node_modules" } } });
    expect(explanation.reason).toBe("node_modules/x/index.js is out: its directory node_modules is excluded by .dockerignore (line 2: node_modules) and no exception reaches below it");
  });

  it("explains an excluded directory kept as the parent of a re-included file", async () => {
    const root = await tree(nodes);
    const manifest = await collectContext({ root });
    expect(await explainContext(manifest, "docs")).toMatchObject({ included: true, asParent: true, ignore: { excluded: true, rule: { line: 5 } } });
    expect(await explainContext(manifest, "docs/keep.txt")).toMatchObject({ included: true, ignore: { excluded: false, rule: { line: 6, text: "!docs/keep.txt" } } });
    expect(await explainContext(manifest, "docs/drop.txt")).toMatchObject({ included: false, ignore: { excluded: true, rule: { line: 5, text: "docs" } } });
  });

  it("names the step that references a path, and the exclude pattern that drops one", async () => {
    const root = await tree(nodes);
    const image = new Image("me", "app", "1").fromBase("python:3.11").copy("src", "/app", { exclude: ["*.pyc"] }).copy("README.md", "/");
    const manifest = await collectContext({ root, image });
    const app = await explainContext(manifest, "src/app.py");
    expect(app).toMatchObject({ included: true, steps: [{ step: { step: 0, kind: "copy" }, root: "src", source: "src", included: true }, { included: false }] });
    expect(app.reason).toBe('src/app.py is in: no .dockerignore rule matches it; step 0 (copy) of stage "app" references it through the source "src" (src)');
    const pyc = await explainContext(manifest, "src/app.pyc");
    expect(pyc).toMatchObject({ included: false, steps: [{ root: "src", included: false, excludeRule: { text: "*.pyc" } }, { included: false }] });
    expect(pyc.reason).toBe('src/app.pyc is out: no .dockerignore rule matches it; step 0 (copy) of stage "app" copies "src" but its exclude pattern "*.pyc" drops it');
    const changes = await explainContext(manifest, "CHANGES.md");
    expect(changes.reason).toBe("CHANGES.md is out: .dockerignore excludes it (line 3: *.md); no add/copy step references it");
    const modules = await explainContext(manifest, "node_modules/x/index.js");
    expect(modules).toMatchObject({ included: false, cutAt: "node_modules" });
  });

  it("says when a path does not exist or lies outside the root", async () => {
    const root = await tree(nodes);
    expect((await explainContext({ root }, "nope/file")).reason).toBe("nope/file does not exist: nope does not exist in the context directory");
    expect(await explainContext({ root }, "missing.txt")).toMatchObject({ included: false, reason: "missing.txt does not exist in the context directory" });
    await expect(explainContext({ root }, "../etc/passwd")).rejects.toMatchObject({ code: "outside-context" });
    await expect(explainContext({ root }, "/etc/passwd")).rejects.toMatchObject({ code: "outside-context" });
  });
});
