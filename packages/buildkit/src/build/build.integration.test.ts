// build() against the real engines (scripts/engine.sh): A = Docker 20.10 / BuildKit 0.8, B = Docker 26 / BuildKit
// 0.13, CHUTES_ENGINE=a|b|all. The Dockerfiles are written by hand here (this package never imports the renderer),
// one instruction per IR step as @chutes/dockerfile renders them. An unreachable engine skips its tests when CI is
// unset and fails them under CI=true.

import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Image, ValidationError } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTar } from "@chutes/test-support/tar-listing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSocketProxy } from "../../test/support/proxy.ts";
import { connectBuildKit } from "../client.ts";
import { BuildKitError } from "../errors.ts";
import type { ProgressEvent } from "../progress/events.ts";
import { build } from "./build.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a rejection"),
    (error: unknown) => error,
  );
}

describe.each(engines)("build() on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  const images: string[] = [];
  let work = "";
  let contextDir = "";

  function address(): string {
    if (!up) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    return engine.address;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `chutes-build-${engine.id}-`));
    contextDir = join(work, "ctx");
    await mkdir(join(contextDir, "src"), { recursive: true });
    await writeFile(join(contextDir, "src", "hello.txt"), `hello from ${engine.id}\n`);
    await writeFile(join(contextDir, "src", "other.txt"), "other\n");
    await writeFile(join(contextDir, "unused.bin"), Buffer.alloc(100_000, 1));
  });

  afterAll(async () => {
    if (up) {
      for (const image of images) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`);
    }
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  const hello = new Image("chutes-build-test", "hello", "1")
    .fromBase("local/busybox:latest")
    .copy("src/", "/ctx/")
    .withEnv("GREETING", "hi")
    .runCommand(`echo ${nonce} && cat /ctx/hello.txt`)
    .withCmd(["cat", "/ctx/hello.txt"]);
  const helloDockerfile = `FROM local/busybox:latest\nCOPY src/ /ctx/\nENV GREETING="hi"\nRUN echo ${nonce} && cat /ctx/hello.txt\nCMD ["cat", "/ctx/hello.txt"]\n`;

  it("builds into the image store with tags, sends only what the image references, and rebuilds sending nothing", { timeout: 60_000 }, async () => {
    const tag = `chutes-build-test/hello-${engine.id}:${nonce}`;
    images.push(`docker.io/${tag}`);
    const events: ProgressEvent[] = [];
    const options = { engine: address(), contextDir, frontend: "dockerfile" as const, dockerfile: helloDockerfile, tags: [tag], network: "none" as const, progress: (e: ProgressEvent) => events.push(e) };
    const first = await build(hello, options);
    expect(first.tags).toEqual([`docker.io/${tag}`]);
    expect(first.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.digest).toBe(first.exporterResponse["containerimage.digest"]);
    // src/hello.txt and src/other.txt: never unused.bin.
    expect(first.counters.byDir.context?.bytesSent).toBe(`hello from ${engine.id}\n`.length + "other\n".length);
    expect(events.some((e) => e.kind === "log" && e.data.includes(`hello from ${engine.id}`))).toBe(true);

    const inspect = await engineApi(engine, "GET", `/images/${encodeURIComponent(tag)}/json`);
    expect(inspect.status).toBe(200);
    const config = JSON.parse(inspect.body) as { Id: string; Config: { Env: string[]; Cmd: string[] } };
    expect(config.Id).toBe(first.imageId);
    expect(config.Config.Env).toContain("GREETING=hi");
    expect(config.Config.Cmd).toEqual(["cat", "/ctx/hello.txt"]);

    const { progress: _progress, ...quiet } = options;
    const second = await build(hello, quiet);
    expect(second.imageId).toBe(first.imageId);
    expect(second.counters.byDir.context?.filesSent).toBe(0);
    // BuildKit 0.8 reuses the Dockerfile's snapshot too; 0.13 asks for it again (a few hundred bytes).
    expect(second.counters.byDir.dockerfile?.filesSent).toBe(engine.id === "a" ? 0 : 1);
  });

  it("exports the file tree to a directory (local) and to a tar file (tar)", { timeout: 60_000 }, async () => {
    const dir = join(work, "local-out");
    const local = await build(hello, { engine: address(), contextDir, frontend: "dockerfile" as const, dockerfile: helloDockerfile, exporter: { type: "local", dir }, network: "none" });
    expect(await readFile(join(dir, "ctx", "hello.txt"), "utf8")).toBe(`hello from ${engine.id}\n`);
    expect(local.imageId).toBeUndefined();
    expect(local.counters.filesReceived).toBeGreaterThan(2);

    const file = join(work, "out.tar");
    await build(hello, { engine: address(), contextDir, frontend: "dockerfile" as const, dockerfile: helloDockerfile, exporter: { type: "tar", file }, network: "none" });
    const entries = listTar(await readFile(file));
    expect(entries.find((entry) => entry.name === "ctx/other.txt")?.data.toString()).toBe("other\n");
  });

  it("names the failed step, its command, exit code and last lines in a build-failed error", { timeout: 60_000 }, async () => {
    const failing = new Image("chutes-build-test", "failing", "1")
      .fromBase("local/busybox:latest")
      .setWorkdir("/w")
      .withLabel("purpose", "test")
      .runCommand(`echo one-${nonce}; echo two-${nonce} >&2; exit 7`);
    const dockerfile = `FROM local/busybox:latest\nWORKDIR /w\nLABEL purpose="test"\nRUN echo one-${nonce}; echo two-${nonce} >&2; exit 7\n`;
    const error = await rejection(build(failing, { engine: address(), contextDir, frontend: "dockerfile" as const, dockerfile, network: "none" }));
    expect(error).toBeInstanceOf(BuildKitError);
    const failure = error as BuildKitError;
    expect(failure.code).toBe("build-failed");
    expect(failure.exitCode).toBe(7);
    expect(failure.step).toMatchObject({ stage: "failing", step: 2, kind: "run", command: `echo one-${nonce}; echo two-${nonce} >&2; exit 7`, method: "runCommand" });
    expect([...failure.logs].sort()).toEqual([`one-${nonce}`, `two-${nonce}`]);
    expect(failure.message.split("\n")[0]).toMatch(/^step 2 of stage failing \(runCommand at \/.*build\.integration\.test\.ts:\d+\): /);
    expect(failure.message.split("\n")[0]).toContain(`: "echo one-${nonce}; echo two-${nonce} >&2; exit 7" exited with code 7:`);
  });

  it("serves secrets to RUN --mount=type=secret, and honours network none", { timeout: 60_000 }, async () => {
    const value = `secret-${randomUUID()}`;
    const image = new Image("chutes-build-test", "secret", "1")
      .fromBase("local/busybox:latest")
      .runCommand("cat /run/secrets/token; echo; grep -c : /proc/net/dev", { mounts: [{ type: "secret", id: "token" }] });
    const dockerfile = "FROM local/busybox:latest\nRUN --mount=type=secret,id=token cat /run/secrets/token; echo; grep -c : /proc/net/dev\n";
    let output = "";
    const result = await build(image, {
      engine: address(),
      contextDir,
      frontend: "dockerfile",
      dockerfile,
      secrets: { token: value },
      network: "none",
      noCache: true,
      exporter: { type: "local", dir: join(work, "secret-out") },
      progress: (event) => {
        if (event.kind === "log") output += event.data;
      },
    });
    expect(result.counters.secretsServed).toBe(1);
    expect(output).toContain(value);
    // No interface but the loopback: the step had no network.
    expect(output.trim().split("\n").at(-1)?.trim()).toBe("1");
  });

  it("validates first: an invalid image throws a ValidationError without connecting", async () => {
    const invalid = new Image("Bad_Name", "x", "1").fromBase("local/busybox:latest").exposePort(70000);
    const error = await rejection(build(invalid, { engine: "docker+unix:///nonexistent/docker.sock", contextDir, frontend: "dockerfile" as const, dockerfile: "FROM x\n" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.length).toBe(2);
  });

  it("refuses a missing Dockerfile and leaves a client it was given open", async () => {
    const client = await connectBuildKit({ address: address() });
    try {
      const error = await rejection(build(hello, { engine: client, contextDir, frontend: "dockerfile" }));
      expect(error).toBeInstanceOf(BuildKitError);
      expect((error as BuildKitError).code).toBe("invalid-option");
      const result = await build(hello, { engine: client, contextDir, frontend: "dockerfile" as const, dockerfile: helloDockerfile, exporter: { type: "local", dir: join(work, "client-out") }, network: "none" });
      expect(result.counters.byDir.context?.calls).toBeGreaterThan(0);
      expect((await client.control.listWorkers()).length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("cancels on the engine when the signal fires, and returns at once", { timeout: 60_000 }, async () => {
    const image = new Image("chutes-build-test", "sleepy", "1").fromBase("local/busybox:latest").runCommand(`sleep 60 # ${nonce}`);
    const dockerfile = `FROM local/busybox:latest\nRUN sleep 60 # ${nonce}\n`;
    const abort = new AbortController();
    const started = Date.now();
    const pending = rejection(
      build(image, {
        engine: address(),
        contextDir,
        frontend: "dockerfile",
        dockerfile,
        network: "none",
        signal: abort.signal,
        progress: (event) => {
          // One second after the step started (BuildKit 0.13 may miss a cancel in the first ~100 ms).
          if (event.kind === "vertex-started" && event.vertex.name.includes("sleep 60")) setTimeout(() => { abort.abort(); }, 1000);
        },
      }),
    );
    const error = await pending;
    expect(error).toBeInstanceOf(BuildKitError);
    expect((error as BuildKitError).code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("fails with connection-lost within seconds when the connection drops mid-build", { timeout: 60_000 }, async () => {
    address();
    const proxy = await startSocketProxy(engine.socket);
    try {
      const image = new Image("chutes-build-test", "dropped", "1").fromBase("local/busybox:latest").runCommand(`sleep 30 # dropped ${nonce}`);
      const dockerfile = `FROM local/busybox:latest\nRUN sleep 30 # dropped ${nonce}\n`;
      let dropped = 0;
      const error = await rejection(
        build(image, {
          engine: `docker+unix://${proxy.path}`,
          contextDir,
          frontend: "dockerfile",
          dockerfile,
          network: "none",
          progress: (event) => {
            if (event.kind === "vertex-started" && event.vertex.name.includes("sleep 30") && dropped === 0) {
              dropped = Date.now();
              proxy.dropAll();
            }
          },
        }),
      );
      expect(error).toBeInstanceOf(BuildKitError);
      expect(["connection-lost", "build-failed"]).toContain((error as BuildKitError).code);
      expect(Date.now() - dropped).toBeLessThan(10_000);
    } finally {
      await proxy.close();
    }
  });
});
