// The transport against local fake engines (test/support/fake-engine.ts): the standalone-buildkitd paths (h2c
// with prior knowledge on a unix socket, mutual TLS on tcp, Control.Session as a Duplex), the Docker Engine
// paths (upgrade, /session) and the failures: refused upgrade, dropped connection, hung engine, abort.
import { once } from "node:events";
import type { Duplex } from "node:stream";
import { ChutesError } from "@chutes/image-core";
import { afterEach, describe, expect, test } from "vitest";
import { BuildKitError, connectBuildKit } from "../src/index.ts";
import type { BuildKitClient, ProgressEvent } from "../src/index.ts";
import { dial } from "../src/transport/dial.ts";
import { parseAddress } from "../src/transport/address.ts";
import { upgradeToH2c } from "../src/transport/upgrade.ts";
import { FAILING_VERTEX, startFakeEngine, tlsFile } from "./support/fake-engine.ts";
import type { FakeEngine, FakeEngineOptions } from "./support/fake-engine.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function fake(options: FakeEngineOptions): Promise<FakeEngine> {
  const engine = await startFakeEngine(options);
  cleanups.push(() => engine.close());
  return engine;
}

async function connect(...args: Parameters<typeof connectBuildKit>): Promise<BuildKitClient> {
  const client = await connectBuildKit(...args);
  cleanups.push(() => client.close());
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<BuildKitError> {
  const error: unknown = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildKitError);
  return error as BuildKitError;
}

function firstChunk(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    stream.once("data", (chunk: Buffer) => {
      resolve(chunk);
    });
    stream.once("error", reject);
  });
}

function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === name) values.push(rawHeaders[i + 1] ?? "");
  }
  return values;
}

const METHODS = ["/grpc.health.v1.Health/Check", "/moby.filesync.v1.FileSync/DiffCopy", "/moby.filesync.v1.FileSend/DiffCopy"];

describe.each(["buildkitd", "docker"] as const)("%s over a unix socket", (mode) => {
  test("one connection carries calls and a build with progress", async () => {
    const engine = await fake({ mode });
    const client = await connect({ address: engine.address });
    expect(client.kind).toBe(mode);
    expect(await client.control.listWorkers()).toEqual([{ id: "fake", labels: {}, platforms: [{ architecture: "amd64", os: "linux" }] }]);
    const job = client.startSolve({ ref: "r1", exporter: { type: "moby", attrs: { name: "x" } } });
    const events: ProgressEvent[] = [];
    for await (const event of job.events) events.push(event);
    expect(await job.result).toEqual({ ref: "r1", exporterResponse: { "containerimage.digest": "sha256:fake" } });
    expect(events.map((e) => e.kind)).toEqual(["vertex-started", "vertex-completed", "log"]);
    expect(events[2]).toMatchObject({ kind: "log", stream: 1, data: "hi\n", vertex: { index: 1, name: "fake r1" } });
    // Every call went over one HTTP/2 connection: one upgrade for the Docker Engine.
    expect(engine.requests.filter((r) => r.path === "POST /grpc")).toHaveLength(mode === "docker" ? 1 : 0);
    expect(engine.requests.filter((r) => r.path.startsWith("/moby.buildkit.v1.Control/")).map((r) => r.path)).toEqual([
      "/moby.buildkit.v1.Control/ListWorkers",
      "/moby.buildkit.v1.Control/Status",
      "/moby.buildkit.v1.Control/Solve",
    ]);
  });

  test("a bare unix:// address is probed for its kind", async () => {
    const engine = await fake({ mode });
    const client = await connect({ address: engine.bareAddress });
    expect(client.kind).toBe(mode);
    expect(client.address).toBe(engine.address);
  });

  test("a failed build is a build-failed BuildKitError with the exit code", async () => {
    const engine = await fake({ mode });
    const client = await connect({ address: engine.address });
    const error = await rejection(client.control.solve({ frontend: "fail" }));
    expect(error).toBeInstanceOf(ChutesError);
    expect(error.code).toBe("build-failed");
    expect(error.exitCode).toBe(5);
    expect(error.grpcStatus).toEqual({
      code: 2,
      name: "unknown",
      message: 'process "/bin/sh -c exit 5" did not complete successfully: exit code: 5',
    });
    // errdefs.Vertex in grpc-status-details-bin names the failing vertex (standalone buildkitd sends it).
    expect(error.vertex?.digest).toBe(FAILING_VERTEX);
  });

  test("an AbortSignal cancels the call on the engine", async () => {
    const engine = await fake({ mode });
    const client = await connect({ address: engine.address });
    const abort = new AbortController();
    const solving = client.control.solve({ frontend: "hang" }, { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    abort.abort();
    const error = await rejection(solving);
    expect(error.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => engine.cancellations()).toBe(1);
    // The connection survives an aborted call.
    expect(await client.control.listWorkers()).toHaveLength(1);
  });

  test("a dropped connection fails open calls with connection-lost at once, and the next call reconnects", async () => {
    const engine = await fake({ mode });
    const client = await connect({ address: engine.address });
    const solving = client.control.solve({ frontend: "hang" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    engine.dropAll();
    const error = await rejection(solving);
    expect(error.code).toBe("connection-lost");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await client.control.listWorkers()).toHaveLength(1);
  });

  test("a hung engine is noticed by the PING keepalive", async () => {
    const engine = await fake({ mode, blackHole: true });
    const client = await connect({ address: engine.address, keepalive: { intervalMs: 200, timeoutMs: 300 } });
    const started = Date.now();
    const error = await rejection(client.control.listWorkers());
    expect(error.code).toBe("connection-lost");
    expect(error.message).toMatch(/did not answer an HTTP\/2 PING within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("close() ends the connection; later calls fail", async () => {
    const engine = await fake({ mode });
    const client = await connectBuildKit({ address: engine.address });
    await client.close();
    const error = await rejection(client.control.listWorkers());
    expect(error.code).toBe("connection-lost");
  });
});

describe("session streams", () => {
  test("buildkitd: Control.Session as a Duplex, with one metadata entry per method", async () => {
    const engine = await fake({ mode: "buildkitd" });
    const client = await connect({ address: engine.address });
    const stream = await client.openSessionStream({ sessionId: "s1", name: "ctx", sharedKey: "key", methods: METHODS });
    const echoed = firstChunk(stream);
    stream.write(Buffer.from("PRI * HTTP/2.0"));
    expect((await echoed).toString()).toBe("PRI * HTTP/2.0");
    stream.end();
    await once(stream, "end", {}).catch(() => undefined);
    const request = engine.requests.find((r) => r.path === "/moby.buildkit.v1.Control/Session");
    expect(request).toBeDefined();
    const raw = request?.rawHeaders ?? [];
    expect(headerValues(raw, "x-docker-expose-session-uuid")).toEqual(["s1"]);
    expect(headerValues(raw, "x-docker-expose-session-name")).toEqual(["ctx"]);
    expect(headerValues(raw, "x-docker-expose-session-sharedkey")).toEqual(["key"]);
    expect(headerValues(raw, "x-docker-expose-session-grpc-method")).toEqual(METHODS);
    expect(Buffer.concat(engine.sessionBytes).toString()).toBe("PRI * HTTP/2.0");
  });

  test("docker: a new POST /session upgrade, the engine's preface first, one header line per method", async () => {
    const engine = await fake({ mode: "docker" });
    const client = await connect({ address: engine.address });
    const stream = await client.openSessionStream({ sessionId: "s2", name: "ctx", sharedKey: "key", methods: METHODS });
    stream.resume();
    expect((await firstChunk(stream)).toString("latin1")).toBe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    stream.destroy();
    const request = engine.requests.find((r) => r.path === "POST /session");
    const raw = request?.rawHeaders ?? [];
    expect(headerValues(raw, "upgrade")).toEqual(["h2c"]);
    expect(headerValues(raw, "x-docker-expose-session-uuid")).toEqual(["s2"]);
    expect(headerValues(raw, "x-docker-expose-session-grpc-method")).toEqual(METHODS);
  });
});

describe("buildkitd over tcp with mutual TLS", () => {
  const tls = { ca: tlsFile("ca.pem"), cert: tlsFile("client.pem"), key: tlsFile("client-key.pem") };

  test("calls and a build work with the client certificate", async () => {
    const engine = await fake({ mode: "buildkitd", tls: true });
    const client = await connect({ address: engine.address, tls });
    expect(client.kind).toBe("buildkitd");
    expect(await client.control.listWorkers()).toHaveLength(1);
    expect((await client.startSolve({ ref: "tls" }).result).exporterResponse).toEqual({ "containerimage.digest": "sha256:fake" });
  });

  test("a server certificate from another CA is refused", async () => {
    const engine = await fake({ mode: "buildkitd", tls: true });
    const error = await rejection(connectBuildKit({ address: engine.address, tls: { ...tls, ca: tlsFile("server.pem") } }));
    expect(error.code).toBe("engine-unreachable");
  });
});

describe("failures before a connection exists", () => {
  test("a socket that does not exist is engine-unreachable", async () => {
    const error = await rejection(connectBuildKit({ address: "docker+unix:///nonexistent/docker.sock" }));
    expect(error.code).toBe("engine-unreachable");
    expect(error.message).toMatch(/ENOENT/);
  });

  test("a refused upgrade is upgrade-failed with the engine's reason", async () => {
    const engine = await fake({ mode: "docker" });
    const address = parseAddress(engine.address, "option", "auto");
    const socket = await dial(address, { alpn: "http/1.1", timeoutMs: 2000 });
    const error = await rejection(upgradeToH2c(socket, { path: "/grpc-nope", timeoutMs: 2000, address: engine.address }));
    expect(error.code).toBe("upgrade-failed");
    expect(error.message).toBe("POST /grpc-nope was refused with 500 Internal Server Error: no upgrade proto in request");
  });

  test("an aborted connect is aborted", async () => {
    const engine = await fake({ mode: "docker" });
    const error = await rejection(connectBuildKit({ address: engine.bareAddress, signal: AbortSignal.abort() }));
    expect(error.code).toBe("aborted");
  });
});

describe("startSolve", () => {
  test("a failed build names the errored vertex and carries its last lines", async () => {
    const engine = await fake({ mode: "buildkitd" });
    const client = await connect({ address: engine.address });
    const job = client.startSolve({ ref: "f1", frontend: "fail" });
    const error = await rejection(job.result);
    expect(error).toMatchObject({ code: "build-failed", exitCode: 5, logs: ["hi"] });
    expect(error.vertex).toEqual({ digest: FAILING_VERTEX, name: "fake f1", error: "" });
    expect(error.message).toBe(
      'build failed at step #1 "fake f1": process "/bin/sh -c exit 5" did not complete successfully: exit code: 5\nlast output:\n  hi',
    );
  });
});
