// The seed's examples built for real, on engines A (Docker 20.10 / BuildKit 0.8) and B (Docker 26 / BuildKit 0.13)
// (CHUTES_ENGINE=a|b|all), through @chutes/dockerfile and @chutes/buildkit's build().
//
// No registry is reachable here, so every remote base is mapped, explicitly (BASE_MAP below), to the local Debian
// image the engines import; Debian's mirror is reachable with host networking, PyPI, download.pytorch.org and
// Alpine's mirrors are not. So:
// - BUILT: the examples whose steps work offline or with apt; each image's config (Engine API) must equal
//   `image.inspect(<the base's config from the engine>)`: Env, WorkingDir, User, Entrypoint, Cmd, ExposedPorts,
//   Labels. Some are run.
// - FAILS: the examples with a step that needs pip or apk (or apt's package lists); each must fail with a
//   BuildKitError that names the step, the command, the exit code and the line that says why.
// - NOT_BUILT: the examples that would download hundreds of megabytes from Debian's mirror before reaching a step
//   that needs PyPI; a test checks that every seed image is in exactly one list.
// Unreachable engines skip when CI is unset and fail under CI=true.

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BuildKitError, build, connectBuildKit } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { image as demoImage } from "../demo/image.ts";
import { seedImages } from "./seed-modules.ts";
import type { SeedImage } from "./seed-modules.ts";
import { BASE_MAP, BUILT, DEBIAN, mapBases, seedContext } from "./support/seed-offline.ts";
import { baseConfig, comparableEngineConfig, comparableEvaluatedConfig, engineConfig, runContainer, startContainer } from "./support/images.ts";

/** Fail at a step, with this exit code and output: a tool the Debian base does not have, or a package it does not know. */
const FAILS: Readonly<Record<string, { readonly step: number; readonly exitCode: number; readonly output: RegExp }>> = {
  "09-run-command/pythonPackages": { step: 0, exitCode: 127, output: /pip: not found/ },
  "09-run-command/requirementsFile": { step: 1, exitCode: 127, output: /pip: not found/ },
  "13-add-best-practices/image": { step: 1, exitCode: 127, output: /pip: not found/ },
  "18-set-workdir/multipleWorkingDirectories": { step: 2, exitCode: 127, output: /pip: not found/ },
  "27-size-optimization/minimalImage": { step: 0, exitCode: 127, output: /apk: not found/ },
  "28-testing-images/buildTestImage": { step: 0, exitCode: 127, output: /pip: not found/ },
  // Without package lists (Debian's and python:3.11-slim's images ship none), apt cannot name wget to remove it.
  "30-minimize-attack-surface/image": { step: 0, exitCode: 100, output: /E: Unable to locate package wget/ },
  "32-optimize-layer-caching/image": { step: 1, exitCode: 127, output: /pip: not found/ },
  "34-clean-up-in-same-layer/image": { step: 0, exitCode: 127, output: /pip: not found/ },
};

/** Not built here, and why. */
const NOT_BUILT: Readonly<Record<string, string>> = {
  "09-run-command/systemPackages": "apt install python3-pip brings build-essential and python3-dev as recommends: ~250 MB per engine (it would build)",
  "09-run-command/multipleCommands": "apt install git curl (~30 MB), then pip install needs PyPI",
  "10-run-command-common-patterns/image": "apt install build-essential ffmpeg ... (~600 MB), then pip install needs PyPI",
  "23-multi-stage/buildStage": "apt install build-essential git (~250 MB), then pip install needs PyPI",
  "23b-multi-stage-copyfrom/buildStage": "apt install build-essential git (~250 MB), then pip install needs PyPI",
  "23b-multi-stage-copyfrom/productionStage": "its builder stage is 23b's buildStage",
  "24-optimized-pytorch/pytorchImage": "apt install python3-dev build-essential ... (~300 MB), then download.pytorch.org",
  "25-layered-configuration/base": "apt install python3-pip (~250 MB with recommends), then pip install --upgrade pip needs PyPI",
  "25-layered-configuration/ml": "as base, then download.pytorch.org",
  "25-layered-configuration/nlp": "as base, then download.pytorch.org and PyPI",
  "26-build-optimization/optimizedImage": "apt install build-essential git curl (~200 MB), then pip install needs PyPI",
};

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
const key = (seed: SeedImage): string => `${seed.stem}/${seed.name}`;
const seedByKey = new Map(seedImages.map((seed) => [key(seed), seed]));

function seed(name: string): SeedImage {
  const found = seedByKey.get(name);
  if (found === undefined) throw new Error(`no seed image ${name}`);
  return found;
}

function tagOf(name: string, engine: TestEngine): string {
  return `chutes-seed-test/${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}:${engine.id}-${nonce}`;
}

describe("the seed's examples, sorted for a real build", () => {
  test("every seed image is in exactly one of BUILT, FAILS, NOT_BUILT", () => {
    const lists = [...BUILT, ...Object.keys(FAILS), ...Object.keys(NOT_BUILT)];
    expect(new Set(lists).size).toBe(lists.length);
    expect([...lists].sort()).toEqual(seedImages.map(key).sort());
  });

  test("BASE_MAP lists every remote base the seed uses, and no other", () => {
    const bases = new Set(seedImages.flatMap((s) => s.image.toJSON().stages.flatMap((stage) => (stage.base !== "scratch" && "image" in stage.base ? [stage.base.image] : []))));
    expect([...bases].sort()).toEqual(Object.keys(BASE_MAP).sort());
  });
});

describe.each(engines)("seed examples built on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  let client: BuildKitClient | undefined;
  let work = "";
  let contextDir = "";
  const tags: string[] = [];

  function connected(): BuildKitClient {
    if (client === undefined) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    return client;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `chutes-seed-build-${engine.id}-`));
    contextDir = await seedContext(join(work, "context"));
    if (up) client = await connectBuildKit({ address: engine.address });
  });

  afterAll(async () => {
    if (up) for (const tag of tags) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
    await client?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function buildSeed(name: string): Promise<{ image: Image; tag: string }> {
    const image = mapBases(seed(name).image);
    const tag = tagOf(name, engine);
    tags.push(tag);
    await build(image, { engine: connected(), contextDir, dockerfile: renderDockerfile(image), tags: [tag], network: "host" });
    return { image, tag };
  }

  it.concurrent.each(BUILT.map((name) => [name]))("%s builds, and its config is what image.inspect() says", { timeout: 240_000 }, async (name) => {
    const { image, tag } = await buildSeed(name);
    const base = await baseConfig(engine, DEBIAN);
    expect(comparableEngineConfig(await engineConfig(engine, tag))).toEqual(comparableEvaluatedConfig(image.inspect(base)));
  });

  // One at a time: two builds running the same failing step at once share it, and the engine sends its output to
  // one of them only (build() still names the step for both, from the engine's message).
  it.each(Object.entries(FAILS))("%s fails, naming the step, the command and its output", { timeout: 240_000 }, async (name, expected) => {
    const image = mapBases(seed(name).image);
    const stage = image.toJSON().stages.at(-1);
    const step = stage?.steps[expected.step];
    expect(step?.kind).toBe("run");
    const command = step?.kind === "run" && step.command.form === "shell" ? step.command.lines.join(" ") : "";
    const error: unknown = await build(image, { engine: connected(), contextDir, dockerfile: renderDockerfile(image), network: "host" }).then(
      () => new Error("the build succeeded"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BuildKitError);
    const failure = error as BuildKitError;
    expect(failure.code).toBe("build-failed");
    expect(failure.step).toMatchObject({ stage: stage?.id, step: expected.step, kind: "run", command });
    expect(failure.exitCode).toBe(expected.exitCode);
    expect(failure.logs.join("\n")).toMatch(expected.output);
    expect(failure.message.split("\n")[0]).toBe(`step ${expected.step} of stage ${stage?.id ?? ""} (run): ${JSON.stringify(command)} exited with code ${expected.exitCode}:`);
  });

  it("runs what it built: the entrypoint script, another user, the non-root user", { timeout: 240_000 }, async () => {
    const entry = await buildSeed("22-with-entrypoint/shellScriptEntrypoint");
    expect(await runContainer(engine, entry.tag, { cmd: ["a", "b"] })).toEqual({ exitCode: 0, output: "entrypoint ran as 0 with: a b\n" });
    const switched = await buildSeed("20-set-user/switchUsers");
    expect(await runContainer(engine, switched.tag, { cmd: ["sh", "-c", "whoami; python3 -c 'print(6 * 7)'"] })).toEqual({ exitCode: 0, output: "appuser\n42\n" });
    const nonRoot = await buildSeed("29-non-root-user/image");
    expect(await runContainer(engine, nonRoot.tag, { cmd: ["id", "-u"] })).toEqual({ exitCode: 0, output: "1000\n" });
  });

  it("aptInstall installs real packages in a real build", { timeout: 240_000 }, async () => {
    const image = new Image("chutes-seed-test", "apt", "1.0.0")
      .fromBase(DEBIAN)
      .aptInstall(["python3-minimal"])
      .runCommand(`python3 -c "print('apt-ok', 6 * 7)" > /apt-ok.txt`)
      .withCmd(["cat", "/apt-ok.txt"]);
    const tag = tagOf("apt-install", engine);
    tags.push(tag);
    await build(image, { engine: connected(), contextDir, dockerfile: renderDockerfile(image), tags: [tag], network: "host" });
    expect(await runContainer(engine, tag)).toEqual({ exitCode: 0, output: "apt-ok 42\n" });
  });

  it("builds the demo image and its HTTP service answers", { timeout: 240_000 }, async () => {
    const tag = tagOf("demo", engine);
    tags.push(tag);
    await build(demoImage, {
      engine: connected(),
      contextDir: fileURLToPath(new URL("../demo/", import.meta.url)),
      dockerfile: renderDockerfile(demoImage),
      tags: [tag],
      network: "host",
    });
    expect(comparableEngineConfig(await engineConfig(engine, tag))).toEqual(comparableEvaluatedConfig(demoImage.inspect(await baseConfig(engine, DEBIAN))));
    const port = await freePort();
    const service = await startContainer(engine, tag, ["--port", String(port)]);
    try {
      expect(await httpGet(port, "/", 30_000)).toBe("hello from chutes-image\n");
      expect(await httpGet(port, "/health", 5_000)).toBe("ok\n");
    } catch (error) {
      throw new Error(`the demo service did not answer: ${String(error)}\n${await service.logs()}`, { cause: error });
    } finally {
      await service.stop();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** GET http://127.0.0.1:<port><path>, retried until it answers or `timeoutMs` passes. */
async function httpGet(port: number, path: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, timeout: 2000 }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => { resolve(text); });
        });
        req.on("timeout", () => req.destroy(new Error("timed out")));
        req.on("error", reject);
        req.end();
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
