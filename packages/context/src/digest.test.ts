import { createHash } from "node:crypto";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, tempTree, touch } from "../test/tree.ts";
import type { Node } from "../test/tree.ts";
import { collectContext } from "./collect.ts";
import { CONTEXT_DIGEST_VERSION, contextDigest } from "./digest.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(cleanup));
});

async function tree(nodes: Readonly<Record<string, Node>>, order?: readonly string[]): Promise<string> {
  const root = await tempTree(nodes, order);
  roots.push(root);
  return root;
}

const nodes: Record<string, Node> = {
  "src/a.py": "a = 1\n",
  "src/b.py": "b = 2\n",
  "src/empty": { dir: true },
  "bin/tool": { content: "#!/bin/sh\n", mode: 0o755 },
  "link": { link: "src/a.py" },
  "ünï.txt": "unicode",
};

const digestOf = async (root: string) => contextDigest(await collectContext({ root }));

describe("contextDigest", () => {
  it("is the sha256 of the documented serialization", async () => {
    const root = await tree({ "d/f": "x", "l": { link: "d/f" } });
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const expected = [
      `${CONTEXT_DIGEST_VERSION}\n`,
      "d 0755 1:d -\n",
      `f 0644 3:d/f ${sha("x")}\n`,
      "l 0777 1:l 3:d/f\n",
    ].join("");
    expect(await digestOf(root)).toBe(`sha256:${sha(expected)}`);
  });

  it("is equal for two copies made in different orders with different mtimes", async () => {
    const first = await tree(nodes);
    const second = await tree(nodes, Object.keys(nodes).reverse());
    await touch(join(second, "src/a.py"), 42);
    await touch(join(second, "src"), 4242);
    expect(await digestOf(second)).toBe(await digestOf(first));
    expect(await digestOf(first)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("changes with contents, modes, link targets and paths", async () => {
    const root = await tree(nodes);
    const reference = await digestOf(root);
    const seen = new Set([reference]);
    const variants: (() => Promise<void>)[] = [
      () => writeFile(join(root, "src/a.py"), "a = 2\n"),
      () => chmod(join(root, "bin/tool"), 0o700),
      () => tree({ ...nodes, "link": { link: "src/b.py" } }).then(async (other) => {
        seen.add(await digestOf(other));
      }),
      () => tree({ ...nodes, "src/c.py": "a = 1\n" }).then(async (other) => {
        seen.add(await digestOf(other));
      }),
    ];
    for (const change of variants) {
      await change();
      seen.add(await digestOf(root));
    }
    expect(seen.size).toBe(1 + variants.length);
  });

  it("reuses digests computed by collectContext({ hash: true })", async () => {
    const root = await tree(nodes);
    expect(await contextDigest(await collectContext({ root, hash: true }))).toBe(await digestOf(root));
  });
});
