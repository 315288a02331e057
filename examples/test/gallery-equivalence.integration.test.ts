// The two back ends agree on the gallery's buildable examples too (issue 5 section 3, "the seed's and your own"):
// python-service (two stages, a cache mount, copyFrom, a healthcheck, a numeric user) and custom-preset (a preset's
// apt install and CA files, a required secret mount) are built through the LLB back end and through the Dockerfile
// frontend on each engine, with `python:3.12-slim` replaced by the same local Debian stage as in
// gallery-build.integration.test.ts; the configs' compared fields and the file trees must be equal (support/equivalence.ts).
// CHUTES_ENGINE=a|b|all; skips when no engine answers and CI is unset, fails under CI=true.

import { randomUUID } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectBuildKit } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { galleryImage } from "./gallery-modules.ts";
import { compareBackEnds } from "./support/equivalence.ts";
import { BUILT_HERE, substituteBases } from "./support/gallery-offline.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
const galleryDir = fileURLToPath(new URL("../gallery/", import.meta.url));
/** The secrets an example's build needs (custom-preset's pip configuration). */
const SECRETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "custom-preset": { "pip-conf": "[global]\nindex-url = https://pypi.example-corp.invalid/simple\n" },
};

describe.each(engines)("the gallery through both back ends on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  let client: BuildKitClient | undefined;
  let work = "";
  const tags: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `chutes-gallery-eq-${engine.id}-`));
    if (up) client = await connectBuildKit({ address: engine.address });
  });

  afterAll(async () => {
    if (up) for (const tag of tags) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
    await client?.close();
    await rm(work, { recursive: true, force: true });
  });

  it.concurrent.each([...BUILT_HERE].map((example) => [example]))("%s: the same config and the same file tree", { timeout: 300_000 }, async (example) => {
    if (client === undefined) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    const contextDir = join(work, example);
    await cp(join(galleryDir, example), contextDir, { recursive: true });
    const llb = `chutes-gallery-eq/${example}:${engine.id}-${nonce}-llb`;
    const dockerfile = `chutes-gallery-eq/${example}:${engine.id}-${nonce}-dockerfile`;
    tags.push(llb, dockerfile);
    const secrets = SECRETS[example];
    const { config, tree } = await compareBackEnds(substituteBases(galleryImage(example)), {
      engine,
      client,
      contextDir,
      work,
      tags: { llb, dockerfile },
      ...(secrets === undefined ? {} : { secrets }),
    });
    expect(config.llb).toEqual(config.dockerfile);
    expect(config.llb.User).toBe("10001:10001");
    if (tree === "same-layers") return;
    expect(tree.llb.length).toBeGreaterThan(100);
    // The lines only one back end has first, so a failure shows the difference, not two 10,000-line lists.
    const dockerfileLines = new Set(tree.dockerfile);
    const llbLines = new Set(tree.llb);
    expect({ onlyLLB: tree.llb.filter((line) => !dockerfileLines.has(line)), onlyDockerfile: tree.dockerfile.filter((line) => !llbLines.has(line)) }).toEqual({
      onlyLLB: [],
      onlyDockerfile: [],
    });
    expect(tree.llb).toEqual(tree.dockerfile);
  });
});
