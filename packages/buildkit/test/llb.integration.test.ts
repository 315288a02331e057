// The LLB back end on the real engines, beyond equivalence: per-step exclude on BuildKit 0.8 (context-side) and 0.13,
// caps gating, why the client-side gateway route (and not exporter attrs), failures named by step, cache ids
// shared with the Dockerfile frontend, secrets kept out of the image, and a warm rebuild.
// CHUTES_ENGINE=a|b|all; skips when no engine answers and CI is unset, fails under CI=true.

import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTree } from "@chutes/test-support/tar-listing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BuildKitError, build, connectBuildKit } from "../src/index.ts";
import type { BuildKitClient } from "../src/index.ts";
import { llbBackend } from "../src/llb/backend.ts";
import { GatewayBridge } from "../src/llb/bridge.ts";
import { LLBError } from "../src/llb/errors.ts";
import { marshalLLB } from "../src/llb/marshal.ts";
import { resolveBaseConfigs } from "../src/llb/resolve.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
const BUSYBOX = "local/busybox:latest";
const AMD64 = { architecture: "amd64", os: "linux" } as const;

describe.each(engines)("$label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  let client: BuildKitClient | undefined;
  let work = "";
  let contextDir = "";
  const images: string[] = [];

  function engineClient(): BuildKitClient {
    if (!up || client === undefined) {
      throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    }
    return client;
  }

  beforeAll(async () => {
    if (!up) return;
    client = await connectBuildKit({ address: engine.address });
    work = await mkdtemp(join(tmpdir(), `chutes-llb-${engine.id}-`));
    contextDir = join(work, "context");
    for (const [path, content] of Object.entries({ "src/a.py": "a\n", "src/a.pyc": "compiled\n", "src/sub/b.py": "b\n", "src/sub/b.pyc": "compiled\n", "src/keep.pyc": "keep\n", "other.txt": "other\n" })) {
      await mkdir(join(contextDir, path, ".."), { recursive: true });
      await writeFile(join(contextDir, path), content);
    }
  });

  afterAll(async () => {
    if (!up || client === undefined) return;
    for (const image of images) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`);
    const records = await client.control.diskUsage();
    const ours = records.filter((r) => r.description.includes(nonce)).map((r) => `id==${r.id}`);
    if (ours.length > 0) await client.control.prune({ filters: ours });
    await client.close();
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  async function files(image: Image, name: string): Promise<Map<string, string>> {
    const out = join(work, `${name}.tar`);
    await build(image, { engine: engineClient(), contextDir, backend: llbBackend, exporter: { type: "tar", file: out }, network: "none", noCache: true });
    const tar = await readFile(out);
    return new Map(listTree(tar).map((entry) => [entry.path, entry.type]));
  }

  test.skipIf(!up && !ci)("exclude: a step's patterns apply relative to its source, on this engine too (filtered context)", async () => {
    const image = new Image("chutes-test", "llb-exclude")
      .fromBase("scratch")
      .copy("src", "/src", { exclude: ["**/*.pyc", "!keep.pyc"] })
      .copy("src", "/all");
    const tree = await files(image, "exclude");
    const under = (prefix: string) => [...tree.keys()].filter((path) => path.startsWith(`${prefix}/`)).sort();
    expect(under("src")).toEqual(["src/a.py", "src/keep.pyc", "src/sub", "src/sub/b.py"]);
    expect(under("all")).toEqual(["all/a.py", "all/a.pyc", "all/keep.pyc", "all/sub", "all/sub/b.py", "all/sub/b.pyc"]);
  }, 60_000);

  test.skipIf(!up && !ci)("caps: exclude on a copy from a stage needs file.copy.includeexcludepatterns (BuildKit 0.13 has it, 0.8 not)", async () => {
    const c = engineClient();
    const builder = new Image("chutes-test", "llb-builder").fromBase(BUSYBOX).runCommand("mkdir -p /out && echo 1 > /out/a.txt && echo 2 > /out/b.log");
    const image = new Image("chutes-test", "llb-caps").fromBase("scratch").copyFrom(builder, "/out", "/out", { exclude: ["*.log"] });
    if (engine.id === "a") {
      const error: unknown = await build(image, { engine: c, contextDir, backend: llbBackend, network: "none" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LLBError);
      expect((error as LLBError).code).toBe("unsupported-feature");
      expect((error as LLBError).message).toBe(
        'stage "llb-caps", step 0 (copyFrom) needs exclude patterns on a copy from another stage (LLB cap "file.copy.includeexcludepatterns"), which BuildKit 0.8 (as in Docker 20.10) does not support; BuildKit 0.13 (Docker 26) and newer do. Upgrade the engine, or change the step.',
      );
    } else {
      const tree = await files(image, "caps");
      expect([...tree.keys()].filter((path) => path.startsWith("out/")).sort()).toEqual(["out/a.txt"]);
    }
  }, 60_000);

  test.skipIf(!up && !ci)("solve route: the moby exporter ignores a `containerimage.config` exporter attribute; the gateway's Return carries it", async () => {
    const c = engineClient();
    const image = new Image("chutes-test", "llb-route").fromBase(BUSYBOX).runCommand(`echo route ${nonce} > /r`).withCmd(["cat", "/r"]).withEnv("ROUTE", "1");
    const baseConfigs = await resolveBaseConfigs(c, image.toJSON(), { platform: AMD64 });
    const marshaled = marshalLLB(image.toJSON(), { baseConfigs, platform: AMD64, network: "none" });
    const byAttr = `docker.io/chutes-test/llb-route:${engine.id}-${nonce}-attr`;
    const byGateway = `docker.io/chutes-test/llb-route:${engine.id}-${nonce}-gateway`;
    images.push(byAttr, byGateway);

    await c.startSolve({ definition: marshaled.definition, exporter: { type: "moby", attrs: { name: byAttr, "containerimage.config": JSON.stringify(marshaled.config) } } }).result;
    const attr = JSON.parse((await engineApi(engine, "GET", `/images/${encodeURIComponent(byAttr)}/json`)).body) as { Config: { Cmd: string[] | null; Env: string[] } };
    expect(attr.Config.Cmd).toBeNull();
    expect(attr.Config.Env).not.toContain("ROUTE=1");

    const job = c.startSolve({ exporter: { type: "moby", attrs: { name: byGateway } } });
    const bridge = new GatewayBridge(c, job.ref);
    await bridge.returnResult(await bridge.solve(marshaled.definition), { "containerimage.config": JSON.stringify(marshaled.config) });
    await job.result;
    const gateway = JSON.parse((await engineApi(engine, "GET", `/images/${encodeURIComponent(byGateway)}/json`)).body) as { Config: { Cmd: string[]; Env: string[] } };
    expect(gateway.Config.Cmd).toEqual(["cat", "/r"]);
    expect(gateway.Config.Env).toContain("ROUTE=1");
  }, 60_000);

  test.skipIf(!up && !ci)("a failing step: build() names the step (stepOf maps the op digest back to it) and the gateway ended the build", async () => {
    const image = new Image("chutes-test", "llb-fail").fromBase(BUSYBOX).withEnv("A", "1").runCommand(`echo failing ${nonce}; exit 3`);
    const error: unknown = await build(image, { engine: engineClient(), contextDir, backend: llbBackend, network: "none" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildKitError);
    const failure = error as BuildKitError;
    expect(failure.code).toBe("build-failed");
    expect(failure.exitCode).toBe(3);
    expect(failure.step).toMatchObject({ stage: "llb-fail", step: 1, kind: "run" });
    expect(failure.logs).toContain(`failing ${nonce}`);
  }, 60_000);

  test.skipIf(!up && !ci)("cache mounts: the LLB back end uses the Dockerfile frontend's cache ids, so both share a cache", async () => {
    const c = engineClient();
    const id = `shared-${nonce}`;
    const writer = new Image("chutes-test", "llb-cache-writer").fromBase(BUSYBOX).runCommand(`echo from-dockerfile > /cache/who # ${nonce}`, { mounts: [{ type: "cache", target: "/cache", id }] });
    await build(writer, { engine: c, contextDir, dockerfile: renderDockerfile(writer), network: "none", noCache: true });
    // Not `noCache` here: BuildKit gives a step built without the cache fresh cache mounts too (seen on both engines,
    // with either back end). The nonce in the command keeps the step from being a cache hit.
    const reader = new Image("chutes-test", "llb-cache-reader").fromBase(BUSYBOX).runCommand(`cp /cache/who /who.txt # ${nonce}`, { mounts: [{ type: "cache", target: "/cache", id }] });
    const out = join(work, "cache.tar");
    await build(reader, { engine: c, contextDir, backend: llbBackend, exporter: { type: "tar", file: out }, network: "none" });
    const tar = await readFile(out);
    expect(tar.includes(Buffer.from("from-dockerfile\n"))).toBe(true);
  }, 60_000);

  test.skipIf(!up && !ci)("secrets: readable in the step, absent from every layer, the history and the config", async () => {
    const c = engineClient();
    const value = `llb-secret-${randomUUID()}`;
    const name = `docker.io/chutes-test/llb-secret:${engine.id}-${nonce}`;
    images.push(name);
    const image = new Image("chutes-test", "llb-secret").fromBase(BUSYBOX).runCommand("wc -c < /run/secrets/token > /len && cat /run/secrets/token", { mounts: [{ type: "secret", id: "token", required: true }] });
    const logs: string[] = [];
    await build(image, {
      engine: c,
      contextDir,
      backend: llbBackend,
      tags: [name],
      network: "none",
      secrets: { token: value },
      noCache: true,
      progress: (event) => {
        if (event.kind === "log") logs.push(event.data);
      },
    });
    expect(logs.join("")).toContain(value);
    const saved = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/get`, { timeoutMs: 60_000 });
    expect(saved.status).toBe(200);
    const inspect = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/json`);
    const history = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/history`);
    expect(saved.body.length).toBeGreaterThan(1000);
    for (const text of [saved.body, inspect.body, history.body]) expect(text.includes(value)).toBe(false);
    expect(history.body).toContain("wc -c < /run/secrets/token");
  }, 60_000);

  test.skipIf(!up && !ci)("secrets as environment variables: set for the step only, absent from the image; BuildKit 0.8 is refused by name", async () => {
    const c = engineClient();
    const value = `llb-secret-env-${randomUUID()}`;
    const name = `docker.io/chutes-test/llb-secret-env:${engine.id}-${nonce}`;
    const image = new Image("chutes-test", "llb-secret-env")
      .fromBase(BUSYBOX)
      .runCommand('test -n "$TOKEN" && test ! -e /run/secrets/token && echo "token=$TOKEN"', {
        mounts: [{ type: "secret", id: "token", env: "TOKEN", required: true }],
      })
      .runCommand('test -z "$TOKEN" && echo unset-after > /after');
    const options = { engine: c, contextDir, backend: llbBackend, tags: [name], network: "none", secrets: { token: value }, noCache: true } as const;
    if (engine.id === "a") {
      const error = await build(image, options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(error).toBeInstanceOf(LLBError);
      expect((error as LLBError).cap).toBe("exec.secretenv");
      expect((error as Error).message).toContain("needs a secret exposed as an environment variable");
      return;
    }
    images.push(name);
    const logs: string[] = [];
    await build(image, { ...options, progress: (event) => { if (event.kind === "log") logs.push(event.data); } });
    expect(logs.join("")).toContain(`token=${value}`);
    const saved = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/get`, { timeoutMs: 60_000 });
    expect(saved.status).toBe(200);
    const inspect = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/json`);
    const history = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/history`);
    expect(saved.body.length).toBeGreaterThan(1000);
    for (const text of [saved.body, inspect.body, history.body]) expect(text.includes(value)).toBe(false);
    expect(saved.body).toContain("unset-after");
  }, 60_000);

  test.skipIf(!up && !ci)("two builds at once, same paths, different contexts: each gets its own files (local.session)", async () => {
    const c = engineClient();
    // Same step, same path, different bytes: without a session on the local source both builds marshal the same
    // vertex, and the engine, which merges equal vertices of running builds, served one build's file to both.
    const image = new Image("chutes-test", "llb-concurrent").fromBase("scratch").copy("same.txt", "/same.txt");
    const runs = await Promise.all(
      ["one", "two", "three"].map(async (name) => {
        const dir = join(work, `concurrent-${name}`);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, "same.txt"), `${name} ${nonce}\n`);
        const out = join(work, `concurrent-${name}-out`);
        await build(image, { engine: c, contextDir: dir, backend: llbBackend, exporter: { type: "local", dir: out }, network: "none" });
        return { name, content: await readFile(join(out, "same.txt"), "utf8") };
      }),
    );
    expect(runs).toEqual(["one", "two", "three"].map((name) => ({ name, content: `${name} ${nonce}\n` })));
  }, 60_000);

  test.skipIf(!up && !ci)("warm rebuild: everything cached, the image id unchanged", async () => {
    const c = engineClient();
    const name = `docker.io/chutes-test/llb-warm:${engine.id}-${nonce}`;
    images.push(name);
    const image = new Image("chutes-test", "llb-warm").fromBase(BUSYBOX).copy("src", "/src").runCommand(`echo warm ${nonce} > /w`).withCmd(["cat", "/w"]);
    const options = { engine: c, contextDir, backend: llbBackend, tags: [name], network: "none" } as const;
    const first = await build(image, options);
    const cached: boolean[] = [];
    const second = await build(image, {
      ...options,
      progress: (event) => {
        if (event.kind === "vertex-cached" || event.kind === "vertex-completed") cached.push(event.kind === "vertex-cached");
      },
    });
    expect(second.imageId).toBe(first.imageId);
    expect(second.counters.byDir.context?.filesSent ?? 0).toBe(0);
    console.log(`${engine.label}: LLB cold build ${Math.round(first.durationMs)} ms, warm rebuild ${Math.round(second.durationMs)} ms (${cached.filter(Boolean).length} cached vertices)`);
  }, 60_000);
});
