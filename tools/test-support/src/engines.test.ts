import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { engineApi, isReachable, selectedEngines } from "./engines.ts";
import type { TestEngine } from "./engines.ts";

describe("selectedEngines", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  // The labels are part of the integration tests' names.
  const both = [
    { id: "a", label: "engine A (Docker 20.10, BuildKit 0.8)", socket: "/run/chutes-image/a/docker.sock", address: "docker+unix:///run/chutes-image/a/docker.sock" },
    { id: "b", label: "engine B (Docker 26, BuildKit 0.13)", socket: "/run/chutes-image/b/docker.sock", address: "docker+unix:///run/chutes-image/b/docker.sock" },
  ];

  it.each([
    ["unset", undefined, ["a", "b"]],
    ["empty", "", ["a", "b"]],
    ["all", "all", ["a", "b"]],
    ["a", "a", ["a"]],
    ["B", "B", ["b"]],
  ])("CHUTES_ENGINE %s selects %j", (_case, value, ids) => {
    vi.stubEnv("CHUTES_ENGINE", value);
    expect(selectedEngines().map((engine) => engine.id)).toEqual(ids);
  });

  it("names each engine's label, socket and BuildKit address", () => {
    vi.stubEnv("CHUTES_ENGINE", undefined);
    expect(selectedEngines()).toEqual(both);
  });
});

describe("engineApi", () => {
  let dir = "";
  let server: Server | undefined;
  let engine: TestEngine = { id: "a", label: "fake engine", socket: "", address: "" };
  const seen: { method: string; url: string; contentType: string | undefined; body: string }[] = [];

  async function read(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "chutes-test-support-"));
    const socket = join(dir, "docker.sock");
    engine = { ...engine, socket, address: `docker+unix://${socket}` };
    const listening = createServer((req, res) => {
      void read(req).then((body) => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", contentType: req.headers["content-type"], body });
        if (req.url === "/_ping") res.end("OK");
        else if (req.url === "/slow") setTimeout(() => res.end(), 2000);
        else if (req.url === "/bytes") res.end(Buffer.from([0x01, 0xff, 0x00]));
        else {
          res.statusCode = 201;
          res.end(JSON.stringify({ Id: "c0ffee" }));
        }
      });
    });
    await new Promise<void>((resolve) => listening.listen(socket, resolve));
    server = listening;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("sends a body as JSON and returns the status and the reply as text", async () => {
    const reply = await engineApi(engine, "POST", "/containers/create", { body: { Image: "busybox" } });
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.body)).toEqual({ Id: "c0ffee" });
    expect(seen.at(-1)).toEqual({ method: "POST", url: "/containers/create", contentType: "application/json", body: '{"Image":"busybox"}' });
  });

  it("sends no body or content type without one, and keeps the reply's bytes", async () => {
    const reply = await engineApi(engine, "GET", "/bytes");
    expect(reply.raw).toEqual(Buffer.from([0x01, 0xff, 0x00]));
    expect(seen.at(-1)).toEqual({ method: "GET", url: "/bytes", contentType: undefined, body: "" });
  });

  it("fails a call that outlasts its timeout, naming it", async () => {
    await expect(engineApi(engine, "GET", "/slow", { timeoutMs: 100 })).rejects.toThrow("GET /slow: timed out");
  });

  it("isReachable: the engine answers /_ping; a missing socket is not reachable", async () => {
    expect(await isReachable(engine)).toBe(true);
    expect(await isReachable({ ...engine, socket: join(dir, "missing.sock") })).toBe(false);
  });
});
