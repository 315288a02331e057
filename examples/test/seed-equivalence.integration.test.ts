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
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, connectBuildKit } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image } from "@chutes/image-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedImages } from "./seed-modules.ts";
import { ci, engineApi, isReachable, selectedEngines } from "./support/engines.ts";
import type { TestEngine } from "./support/engines.ts";
import { BUILT, mapBases, seedContext } from "./support/seed-offline.ts";
import { listTree, treeLines } from "./support/tar-listing.ts";

/** As llb-equivalence.integration.test.ts lists them: files that record the time they were written. */
const IGNORED = /^var\/(log\/(apt\/(eipp\.log\.xz|history\.log|term\.log)|dpkg\.log|alternatives\.log)|cache\/apt\/(src)?pkgcache\.bin)$/;
/**
 * ldconfig's auxiliary cache records each library's inode, ctime and size (glibc's aux-cache), so it differs between
 * any two runs of an install that runs ldconfig, whichever the back end: a timestamp, not a back-end difference.
 */
const IGNORED_LDCONFIG = /^var\/cache\/ldconfig\/aux-cache$/;

const CONFIG_FIELDS = ["Env", "Entrypoint", "Cmd", "WorkingDir", "User", "Labels", "ExposedPorts", "Healthcheck"] as const;

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

/** The compared fields of an image's Config, from the engine (absent, null, empty list and empty map all as null). */
async function configOf(engine: TestEngine, ref: string): Promise<Record<string, unknown>> {
  const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(ref)}/json`);
  if (reply.status !== 200) throw new Error(`GET /images/${ref}/json: ${reply.status} ${reply.body}`);
  const config = (JSON.parse(reply.body) as { Config?: Record<string, unknown> | null }).Config ?? {};
  const empty = (value: unknown): boolean =>
    value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && Object.keys(value).length === 0);
  return Object.fromEntries(CONFIG_FIELDS.map((field) => [field, empty(config[field]) ? null : config[field]]));
}

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

interface Result {
  readonly config: { readonly llb: Record<string, unknown>; readonly dockerfile: Record<string, unknown> };
  readonly tree: { readonly llb: readonly string[]; readonly dockerfile: readonly string[] };
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
  const results = new Map<string, Result>();
  const failures = new Map<string, Error>();

  preparations.push(async () => {
    if (!up) return;
    work = await mkdtemp(join(tmpdir(), `chutes-seed-eq-${engine.id}-`));
    contextDir = await seedContext(join(work, "context"));
    const c = await connectBuildKit({ address: engine.address });
    client = c;
    const tagOf = (name: string, backEnd: string): string =>
      `docker.io/chutes-seed-eq/${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}:${engine.id}-${nonce}-${backEnd}`;

    const exportTree = async (ref: string, file: string): Promise<string[]> => {
      // The image's root file system through the tar exporter: a build of just `docker-image://<ref>`.
      await build(new Image("chutes-seed-eq", "export").fromBase(ref), { engine: c, contextDir, exporter: { type: "tar", file } });
      try {
        return treeLines(listTree(await readFile(file))).filter((line) => {
          const path = line.split(" ")[0] ?? "";
          return !IGNORED.test(path) && !IGNORED_LDCONFIG.test(path);
        });
      } finally {
        await rm(file, { force: true });
      }
    };

    const started = performance.now();
    // Images in BUILT order: the seed's related images sit next to each other, so their shared steps are cached
    // by the first and reused by the next ones.
    await pool(BUILT, PARALLEL, async (name) => {
      try {
        const image = mappedSeed(name);
        const llbTag = tagOf(name, "llb");
        const dfTag = tagOf(name, "dockerfile");
        tags.push(llbTag, dfTag);
        const common = { engine: c, contextDir, network: "host" } as const;
        await build(image, { ...common, tags: [llbTag] });
        await build(image, { ...common, frontend: "dockerfile", dockerfile: renderDockerfile(image), tags: [dfTag] });
        const slug = name.replace(/[^a-zA-Z0-9]+/g, "-");
        const [llbConfig, dfConfig, llbTree, dfTree] = await Promise.all([
          configOf(engine, llbTag),
          configOf(engine, dfTag),
          exportTree(llbTag, join(work, `${slug}-llb.tar`)),
          exportTree(dfTag, join(work, `${slug}-dockerfile.tar`)),
        ]);
        results.set(name, { config: { llb: llbConfig, dockerfile: dfConfig }, tree: { llb: llbTree, dockerfile: dfTree } });
      } catch (error) {
        failures.set(name, error instanceof Error ? error : new Error(String(error)));
      }
    });
    console.log(`${engine.label}: ${BUILT.length} seed images built both ways and exported in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    if (!up) return;
    for (const tag of tags) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
    await client?.close();
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  function resultOf(name: string): Result {
    if (!up || client === undefined) {
      throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    }
    const failure = failures.get(name);
    if (failure !== undefined) throw failure;
    const result = results.get(name);
    if (result === undefined) throw new Error(`${name} was not built`);
    return result;
  }

  it.each(BUILT.map((name) => [name]))("%s: the same config and the same file tree from both back ends", (name) => {
    const { config, tree } = resultOf(name);
    expect(config.llb).toEqual(config.dockerfile);
    expect(tree.llb.length).toBeGreaterThan(0);
    expect(tree.llb).toEqual(tree.dockerfile);
  });
});
