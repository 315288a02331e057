// The two back ends agree on the seed's examples (issue 5 section 3): every seed image that builds offline (BUILT in
// support/seed-offline.ts, bases mapped to the local Debian image) is built through the LLB back end (build()'s
// default) and through BuildKit's Dockerfile frontend (`frontend: "dockerfile"`, the text @chutes/dockerfile renders),
// on engine A (Docker 20.10, BuildKit 0.8) and engine B (Docker 26, BuildKit 0.13). Then the image configs (Env,
// Entrypoint, Cmd, WorkingDir, User, Labels, ExposedPorts, Healthcheck, from the Engine API) must be equal, and so
// must the file trees, exported through the tar exporter and listed with path, type, mode, owner, size, link target
// and content hash. Timestamps are not compared, and apt's logs and binary caches (IGNORED) are left out.
// The builds use the engine's cache (the base and the steps the seed images share are built once), so the suite
// stays short; llb-equivalence in @chutes/buildkit compares uncached builds.
// CHUTES_ENGINE=a|b|all; skips when no engine answers and CI is unset, fails under CI=true.

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectBuildKit } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import { renderDockerfile } from "@chutes/dockerfile";
import type { Image } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedImages } from "./seed-modules.ts";
import { compareBackEnds } from "./support/equivalence.ts";
import type { Comparison } from "./support/equivalence.ts";
import { BUILT, mapBases, seedContext } from "./support/seed-offline.ts";

/** Builds (and exports) at once per engine: enough to overlap the engine's work, few enough not to thrash it. */
const PARALLEL = 6;

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
const seedByKey = new Map(seedImages.map((seed) => [`${seed.stem}/${seed.name}`, seed]));

function mappedSeed(name: string): Image {
  const found = seedByKey.get(name);
  if (found === undefined) throw new Error(`no seed image ${name}`);
  return mapBases(found.image);
}

/**
 * Seed images that are the same build (the same Dockerfile and the same stages once bases are mapped, e.g. the
 * constructor-only examples and the from_base ones that all map to the local Debian image) are built and compared
 * once, under the first of them; the others' tests check that they are still the same build and share its result.
 */
function buildKey(name: string): string {
  const image = mappedSeed(name);
  return `${renderDockerfile(image)}\n${JSON.stringify(image.toJSON().stages)}`;
}
const representative = new Map<string, string>();
const firstOfKey = new Map<string, string>();
for (const name of BUILT) {
  const key = buildKey(name);
  if (!firstOfKey.has(key)) firstOfKey.set(key, name);
  representative.set(name, firstOfKey.get(key) ?? name);
}
const DISTINCT = BUILT.filter((name) => representative.get(name) === name);

/** Runs `task` over `items`, `limit` at a time, in order of start. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Each engine's builds, exports and listings; all engines' run at once (one beforeAll for the file). */
const preparations: (() => Promise<void>)[] = [];
beforeAll(async () => {
  await Promise.all(preparations.map((prepare) => prepare()));
}, 600_000);

describe.each(engines)("seed images through both back ends on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  let client: BuildKitClient | undefined;
  let work = "";
  let contextDir = "";
  const tags: string[] = [];
  const results = new Map<string, Comparison>();
  const failures = new Map<string, Error>();

  preparations.push(async () => {
    if (!up) return;
    work = await mkdtemp(join(tmpdir(), `chutes-seed-eq-${engine.id}-`));
    contextDir = await seedContext(join(work, "context"));
    const c = await connectBuildKit({ address: engine.address });
    client = c;
    const tagOf = (name: string, backEnd: string): string =>
      `docker.io/chutes-seed-eq/${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}:${engine.id}-${nonce}-${backEnd}`;

    const started = performance.now();
    // Images in BUILT order: the seed's related images sit next to each other, so their shared steps are cached
    // by the first and reused by the next ones.
    let exported = 0;
    await pool(DISTINCT, PARALLEL, async (name) => {
      try {
        const image = mappedSeed(name);
        const llbTag = tagOf(name, "llb");
        const dfTag = tagOf(name, "dockerfile");
        tags.push(llbTag, dfTag);
        const { exported: didExport, ...comparison } = await compareBackEnds(image, { engine, client: c, contextDir, work, tags: { llb: llbTag, dockerfile: dfTag } });
        if (didExport) exported++;
        results.set(name, comparison);
      } catch (error) {
        failures.set(name, error instanceof Error ? error : new Error(String(error)));
      }
    });
    console.log(
      `${engine.label}: ${BUILT.length} seed images (${DISTINCT.length} distinct builds) built both ways, ` +
        `${exported} pairs exported (the others had the same layers), in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  afterAll(async () => {
    if (!up) return;
    for (const tag of tags) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
    await client?.close();
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  function resultOf(name: string): Comparison {
    if (!up || client === undefined) {
      throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    }
    const built = representative.get(name) ?? name;
    // Still the same build as its representative (so sharing the result proves something about this image).
    expect(buildKey(name)).toBe(buildKey(built));
    const failure = failures.get(built);
    if (failure !== undefined) throw failure;
    const result = results.get(built);
    if (result === undefined) throw new Error(`${built} was not built`);
    return result;
  }

  it.each(BUILT.map((name) => [name, representative.get(name) === name ? "" : ` (built as ${representative.get(name) ?? "?"})`]))(
    "%s%s: the same config and the same file tree from both back ends",
    (name) => {
      const { config, tree } = resultOf(name);
      expect(config.llb).toEqual(config.dockerfile);
      if (tree === "same-layers") return;
      expect(tree.llb.length).toBeGreaterThan(0);
      expect(tree.llb).toEqual(tree.dockerfile);
    },
  );
});
