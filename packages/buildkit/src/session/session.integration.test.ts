// The session against the real engines (docs/engines.md): A = dockerd 20.10 (BuildKit 0.8), B = dockerd 26
// (BuildKit 0.13). Dockerfile builds through `dockerfile.v0` with `context` and `dockerfile` served by our FileSync,
// exports through our FileSend, secrets through our Secrets service. Skips only when no engine answers and CI is
// unset; under CI a missing engine fails.

import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTar } from "@chutes/test-support/tar-listing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWithSession } from "./testing/build.ts";

const engines = await Promise.all(selectedEngines().map(async (engine) => ({ engine, reachable: await isReachable(engine) })));

const HELLO_DOCKERFILE = 'FROM local/busybox:latest\nCOPY . /ctx/\nRUN ["/bin/busybox","sh","-c","cat /ctx/hello.txt"]\n';

describe.each(engines)("session on engine $engine.id", ({ engine, reachable }: { engine: TestEngine; reachable: boolean }) => {
  describe.skipIf(!reachable && !ci)(`(${engine.socket})`, { timeout: 120_000 }, () => {
    if (!reachable) {
      it("reaches the engine", () => {
        throw new Error(`engine ${engine.id} is not reachable at ${engine.socket}; under CI integration tests never skip`);
      });
      return;
    }
    let work = "";
    const images: string[] = [];

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), `chutes-session-${engine.id}-`));
    });

    afterAll(async () => {
      for (const image of images.filter((name) => name !== "")) {
        await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`).catch(() => undefined);
      }
      if (work !== "") await rm(work, { recursive: true, force: true });
    });

    async function helloContext(name: string): Promise<string> {
      const dir = join(work, name);
      await mkdir(join(dir, "sub"), { recursive: true });
      await writeFile(join(dir, "hello.txt"), `hello from ${engine.id}\n`);
      await writeFile(join(dir, "sub", "data.bin"), Buffer.alloc(70_000, 7));
      return dir;
    }

    it("builds COPY + RUN from the served context and exports it to a directory through FileSend (local)", async () => {
      const contextDir = await helloContext("local-ctx");
      const out = join(work, "local-out");
      const result = await buildWithSession(engine, {
        contextDir,
        dockerfile: HELLO_DOCKERFILE,
        exporter: "local",
        send: { type: "local", dir: out },
        frontendAttrs: { "no-cache": "" },
      });
      expect(result.errors).toEqual([]);
      expect(result.progress.logs).toContain(`hello from ${engine.id}`);
      expect(await readFile(join(out, "ctx", "hello.txt"), "utf8")).toBe(`hello from ${engine.id}\n`);
      expect((await readFile(join(out, "ctx", "sub", "data.bin"))).equals(Buffer.alloc(70_000, 7))).toBe(true);
      expect(await readlink(join(out, "bin", "sh"))).toMatch(/busybox$/);
      expect(result.counters.byDir.context?.filesSent).toBe(2);
      expect(result.counters.byDir.context?.bytesSent).toBe(70_000 + `hello from ${engine.id}\n`.length);
      expect(result.counters.filesReceived).toBeGreaterThan(2);
    });

    it("serves the same build through a Control.Session tunnel (buildkitd's transport, which dockerd's /grpc serves too)", async () => {
      const contextDir = await helloContext("tunnel-ctx");
      const out = join(work, "tunnel-out");
      const result = await buildWithSession(engine, {
        contextDir,
        dockerfile: HELLO_DOCKERFILE,
        exporter: "local",
        send: { type: "local", dir: out },
        frontendAttrs: { "no-cache": "" },
        tunnel: true,
      });
      expect(result.errors).toEqual([]);
      expect(result.progress.logs).toContain(`hello from ${engine.id}`);
      expect(await readFile(join(out, "ctx", "hello.txt"), "utf8")).toBe(`hello from ${engine.id}\n`);
      expect(result.counters.byDir.context?.filesSent).toBe(2);
    });

    it("exports a tar through FileSend (tar)", async () => {
      const contextDir = await helloContext("tar-ctx");
      const out = join(work, "out.tar");
      const result = await buildWithSession(engine, { contextDir, dockerfile: HELLO_DOCKERFILE, exporter: "tar", send: { type: "tar", output: out } });
      expect(result.errors).toEqual([]);
      const entries = listTar(await readFile(out));
      const hello = entries.find((entry) => entry.name === "ctx/hello.txt");
      expect(hello?.data.toString()).toBe(`hello from ${engine.id}\n`);
      expect(result.counters.bytesReceived).toBeGreaterThan(0);
    });

    it("exports to the engine's image store with a name (moby)", async () => {
      const contextDir = await helloContext("moby-ctx");
      const name = `chutes-session-test/${engine.id}:${randomUUID().slice(0, 8)}`;
      images.push(name);
      const result = await buildWithSession(engine, { contextDir, dockerfile: HELLO_DOCKERFILE, exporter: "moby", exporterAttrs: { name } });
      expect(result.errors).toEqual([]);
      const inspect = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/json`);
      expect(inspect.status).toBe(200);
      const image = JSON.parse(inspect.body) as { Id: string; RepoTags: string[] };
      expect(image.RepoTags).toContain(name);
      expect(result.exporterResponse["containerimage.digest"]).toBe(image.Id);
    });

    it("rebuilds after one of 200 files changed by sending exactly that file (stable shared key)", async () => {
      const contextDir = join(work, "incremental-ctx");
      await mkdir(contextDir);
      for (let i = 0; i < 200; i++) await writeFile(join(contextDir, `f${String(i).padStart(3, "0")}.txt`), `file ${i}\n`.repeat(50));
      const name = `chutes-session-test/${engine.id}-incremental:${randomUUID().slice(0, 8)}`;
      images.push(name);
      const dockerfile = "FROM local/busybox:latest\nCOPY . /ctx/\n";
      const build = () => buildWithSession(engine, { contextDir, dockerfile, exporter: "moby", exporterAttrs: { name } });

      const first = await build();
      const changed = "changed content, a different size\n";
      await writeFile(join(contextDir, "f123.txt"), changed);
      const second = await build();
      const third = await build();
      // The retagged earlier image would stay behind, dangling.
      for (const result of [first, second]) images.push(result.exporterResponse["containerimage.digest"] ?? "");

      const figures = [first, second, third].map((result) => ({
        files: result.counters.byDir.context?.filesSent,
        bytes: result.counters.byDir.context?.bytesSent,
        entries: result.counters.byDir.context?.entriesSent,
        dockerfileFiles: result.counters.byDir.dockerfile?.filesSent,
        syncMs: Math.round(result.counters.byDir.context?.millis ?? 0),
        solveMs: Math.round(result.solveMs),
      }));
      console.log(`engine ${engine.id} incremental figures (first, after changing f123.txt, unchanged): ${JSON.stringify(figures)}`);
      expect(first.counters.byDir.context?.filesSent).toBe(200);
      expect(second.counters.byDir.context?.filesSent).toBe(1);
      expect(second.counters.byDir.context?.bytesSent).toBe(changed.length);
      expect(third.counters.byDir.context?.filesSent).toBe(0);
      expect(third.counters.byDir.context?.bytesSent).toBe(0);
    });

    it("answers health checks through a long step, and the session still serves after it", async () => {
      const contextDir = await helloContext("health-ctx");
      // BuildKit 0.8 checks about every second; 0.13 every 5 s.
      const seconds = engine.id === "a" ? 3 : 6;
      const dockerfile = `FROM local/busybox:latest\nRUN sleep ${seconds}\nRUN --mount=type=secret,id=late cat /run/secrets/late\n`;
      const result = await buildWithSession(engine, { contextDir, dockerfile, secrets: { late: "still here" }, frontendAttrs: { "no-cache": "" }, exporter: "" });
      expect(result.errors).toEqual([]);
      expect(result.counters.healthChecks).toBeGreaterThanOrEqual(engine.id === "a" ? 2 : 1);
      expect(result.progress.logs).toContain("still here");
      console.log(`engine ${engine.id}: ${result.counters.healthChecks} health checks in ${Math.round(result.solveMs)} ms`);
    });

    it("serves a secret to RUN --mount=type=secret and leaves it out of the image, its history and config", async () => {
      const contextDir = await helloContext("secret-ctx");
      const value = `chutes-secret-${randomUUID()}`;
      const name = `chutes-session-test/${engine.id}-secret:${randomUUID().slice(0, 8)}`;
      images.push(name);
      const dockerfile = "FROM local/busybox:latest\nRUN --mount=type=secret,id=token cat /run/secrets/token\n";
      const result = await buildWithSession(engine, {
        contextDir,
        dockerfile,
        exporter: "moby",
        exporterAttrs: { name },
        secrets: { token: value },
        frontendAttrs: { "no-cache": "" },
      });
      expect(result.errors).toEqual([]);
      expect(result.counters.secretsServed).toBeGreaterThanOrEqual(1);
      expect(result.progress.logs).toContain(value);
      const inspect = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/json`);
      const history = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/history`);
      expect(inspect.status).toBe(200);
      expect(history.status).toBe(200);
      expect(inspect.body).not.toContain(value);
      expect(history.body).not.toContain(value);
      expect(history.body).toContain("cat /run/secrets/token");
      const saved = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/get`);
      expect(saved.status).toBe(200);
      expect(saved.raw.includes(Buffer.from(value))).toBe(false);
    });
  });
});
