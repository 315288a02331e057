// A local stand-in for an engine, for the transport paths the real engines here cannot exercise (standalone
// buildkitd over unix and mutual TLS) and for failures one must not inflict on shared engines (a dropped or
// hung connection). It serves a small fake `moby.buildkit.v1.Control` with Connect's own gRPC server, either
// as buildkitd does (HTTP/2 with prior knowledge, or over TLS with ALPN h2) or as the Docker Engine does
// (HTTP/1.1 `POST /grpc` upgraded to h2c, `GET /_ping`, `POST /session`).
import { createServer as createHttp2Server, createSecureServer } from "node:http2";
import type { Http2SecureServer, Http2Server } from "node:http2";
import { createServer as createNetServer } from "node:net";
import type { Server, Socket } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Control, StatusResponseSchema } from "../../src/gen/moby/buildkit/v1/control_pb.ts";

export type FakeMode = "buildkitd" | "docker";

export interface FakeEngineOptions {
  readonly mode: FakeMode;
  /** Serve mutual TLS on 127.0.0.1 (buildkitd mode only) with the certificates of test/fixtures/tls. */
  readonly tls?: boolean;
  /** Accept connections (and, in docker mode, the upgrade) but never answer anything after that. */
  readonly blackHole?: boolean;
}

export interface FakeEngine {
  /** e.g. `buildkitd+unix:///tmp/…/engine.sock`, `docker+unix://…`, `buildkitd+tcp://127.0.0.1:PORT`. */
  readonly address: string;
  /** The bare `unix://` form, for the kind probe. */
  readonly bareAddress: string;
  /** Raw header lists (name, value, name, value…) of every HTTP/2 request, and of each HTTP/1.1 request head. */
  readonly requests: { readonly path: string; readonly rawHeaders: readonly string[] }[];
  /** What the fake Session service received. */
  readonly sessionBytes: Buffer[];
  /** How many `hang` solves the engine saw cancelled. */
  readonly cancellations: () => number;
  /** Destroys every connection the engine accepted. */
  dropAll(): void;
  close(): Promise<void>;
}

export const FAILING_VERTEX = "sha256:0000000000000000000000000000000000000000000000000000000000000042";
const TLS_DIR = new URL("../fixtures/tls/", import.meta.url);
export const tlsFile = (name: string): string => readFileSync(new URL(name, TLS_DIR), "utf8");

/** Solve's behaviour follows `frontend`: `hang` waits to be cancelled, `fail` fails like a RUN, else success. */
function controlService(sessionBytes: Buffer[], onCancel: () => void): Partial<ServiceImpl<typeof Control>> {
  return {
    listWorkers: () => ({ record: [{ id: "fake", platforms: [{ architecture: "amd64", os: "linux" }] }] }),
    async solve(request, context) {
      if (request.frontend === "hang") {
        await new Promise<void>((resolve) => {
          context.signal.addEventListener(
            "abort",
            () => {
              onCancel();
              resolve();
            },
            { once: true },
          );
        });
        throw new ConnectError("context canceled", Code.Canceled);
      }
      if (request.frontend === "fail") {
        const error = new ConnectError('process "/bin/sh -c exit 5" did not complete successfully: exit code: 5', Code.Unknown);
        error.details.push({ type: "moby.buildkit.v1.errdefs.Vertex", value: vertexDetail(FAILING_VERTEX) });
        throw error;
      }
      return { exporterResponse: { "containerimage.digest": "sha256:fake" } };
    },
    async *status(request) {
      const t = 1_700_000_000_000;
      yield create(StatusResponseSchema, {
        vertexes: [{ digest: FAILING_VERTEX, name: `fake ${request.ref}`, started: timestampFromMs(t) }],
      });
      await Promise.resolve();
      yield create(StatusResponseSchema, {
        vertexes: [{ digest: FAILING_VERTEX, name: `fake ${request.ref}`, started: timestampFromMs(t), completed: timestampFromMs(t + 250) }],
        logs: [{ vertex: FAILING_VERTEX, stream: 1n, msg: new TextEncoder().encode("hi\n"), timestamp: timestampFromMs(t + 100) }],
      });
    },
    async *session(requests) {
      for await (const message of requests) {
        sessionBytes.push(Buffer.from(message.data));
        yield { data: message.data };
      }
    },
  };
}

/** `errdefs.Vertex{1 digest}` as bytes. */
function vertexDetail(digest: string): Uint8Array {
  const text = Buffer.from(digest);
  return Buffer.concat([Buffer.from([0x0a, text.length]), text]);
}

export async function startFakeEngine(options: FakeEngineOptions): Promise<FakeEngine> {
  const requests: { path: string; rawHeaders: string[] }[] = [];
  const sessionBytes: Buffer[] = [];
  const sockets = new Set<Socket>();
  let cancellations = 0;
  const onCancel = (): void => {
    cancellations++;
  };
  const handler = connectNodeAdapter({ routes: (router) => router.service(Control, controlService(sessionBytes, onCancel)) });
  const onStream = (_stream: unknown, headers: Record<string, unknown>, _flags: number, rawHeaders: string[]): void => {
    requests.push({ path: String(headers[":path"]), rawHeaders });
  };

  if (options.tls === true) {
    const h2: Http2SecureServer = createSecureServer(
      { key: tlsFile("server-key.pem"), cert: tlsFile("server.pem"), ca: tlsFile("ca.pem"), requestCert: true, rejectUnauthorized: true },
      handler,
    );
    h2.on("stream", onStream);
    h2.on("secureConnection", (socket: Socket) => { track(sockets, socket); });
    await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
    const address = h2.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    return {
      address: `buildkitd+tcp://127.0.0.1:${port}`,
      bareAddress: `tcp://127.0.0.1:${port}`,
      requests,
      sessionBytes,
      cancellations: () => cancellations,
      dropAll: () => { dropAll(sockets); },
      close: () => closeServer(h2, sockets),
    };
  }

  const h2: Http2Server = createHttp2Server({}, handler);
  h2.on("stream", onStream);
  const dir = mkdtempSync(join(tmpdir(), "chutes-fake-engine-"));
  const path = join(dir, "engine.sock");
  const server: Server = createNetServer((socket) => {
    track(sockets, socket);
    if (options.mode === "buildkitd") {
      if (options.blackHole !== true) {
        h2.emit("connection", socket);
      }
      return;
    }
    serveDockerConnection(socket, h2, requests, options.blackHole === true);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    address: `${options.mode}+unix://${path}`,
    bareAddress: `unix://${path}`,
    requests,
    sessionBytes,
    cancellations: () => cancellations,
    dropAll: () => { dropAll(sockets); },
    close: async () => {
      await closeServer(server, sockets);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Docker Engine's side of `/_ping`, `/grpc` and `/session`, as observed on dockerd 20.10. */
function serveDockerConnection(socket: Socket, h2: Http2Server, requests: { path: string; rawHeaders: string[] }[], blackHole: boolean): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      return;
    }
    socket.off("data", onData);
    socket.pause();
    const lines = head.subarray(0, end).toString("latin1").split("\r\n");
    const rest = head.subarray(end + 4);
    const [method = "", path = ""] = (lines[0] ?? "").split(" ");
    const rawHeaders = lines.slice(1).flatMap((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    requests.push({ path: `${method} ${path}`, rawHeaders });
    const upgrade = lines.some((line) => /^upgrade:\s*h2c$/i.test(line));
    if (method === "GET" && path.endsWith("/_ping")) {
      socket.end("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK");
      return;
    }
    if (method === "POST" && (path === "/grpc" || path === "/session") && upgrade) {
      const preface = path === "/session" && !blackHole ? "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" : "";
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n${preface}`);
      if (path === "/grpc" && !blackHole) {
        if (rest.length > 0) {
          socket.unshift(rest);
        }
        h2.emit("connection", socket);
      }
      return;
    }
    const body = "no upgrade proto in request\n";
    socket.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  };
  socket.on("data", onData);
}

function track(sockets: Set<Socket>, socket: Socket): void {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => undefined);
}

function dropAll(sockets: Set<Socket>): void {
  for (const socket of sockets) {
    socket.destroy();
  }
}

function closeServer(server: Server | Http2SecureServer, sockets: Set<Socket>): Promise<void> {
  dropAll(sockets);
  return new Promise((resolve) => {
    server.close(() => { resolve(); });
  });
}
