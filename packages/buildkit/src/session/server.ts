// serveSession: the HTTP/2 + gRPC server side of a BuildKit session. The engine is the HTTP/2 client on the
// given duplex (a hijacked `POST /session`, or the byte tunnel of `Control.Session`); we answer its calls.

import { createServer } from "node:http2";
import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import type { Duplex } from "node:stream";
import { serveCredentials } from "./auth.ts";
import type { RegistryCredentials } from "./auth.ts";
import { CounterSet } from "./counters.ts";
import type { SessionCounters } from "./counters.ts";
import { SessionError } from "./errors.ts";
import { serveFileSend } from "./file-send.ts";
import type { SendTarget } from "./file-send.ts";
import { messageOf, serveFileSync } from "./file-sync.ts";
import { FrameError, GrpcCall } from "./grpc-call.ts";
import { GrpcStatus } from "./grpc-status.ts";
import { serveHealthCheck } from "./health.ts";
import { metadataFromRawHeaders } from "./metadata.ts";
import { SessionMethod } from "./methods.ts";
import { secretBytes, serveGetSecret } from "./secrets.ts";
import type { SecretValues } from "./secrets.ts";
import type { SyncSource } from "./source.ts";

/** What a session offers the engine. Anything left out is answered UNIMPLEMENTED. */
export interface SessionServices {
  /** FileSync: directories by local name (`context`, `dockerfile` for the Dockerfile frontend). */
  readonly sync?: Readonly<Record<string, SyncSource>>;
  /** FileSend: where the `local` or `tar` exporter's output goes. */
  readonly send?: SendTarget;
  /** Secrets by id for `RUN --mount=type=secret`; unknown ids get NOT_FOUND. Values are never logged. */
  readonly secrets?: SecretValues;
  /** Registry credentials by host; without them Auth is UNIMPLEMENTED (anonymous pulls). */
  readonly auth?: Readonly<Record<string, RegistryCredentials>>;
}

export interface SessionServerOptions {
  /** Called once per failed call on our side (or transfer the engine aborted). */
  readonly onError?: (error: SessionError) => void;
  /** How long `close()` lets calls in progress finish before cutting the connection (default 2000 ms). */
  readonly closeTimeoutMs?: number;
}

/** A running session server. */
export interface SessionServer {
  /** The method paths to advertise (`X-Docker-Expose-Session-Grpc-Method`), as `sessionMethods` gives them. */
  readonly methods: readonly string[];
  /** What was transferred so far. */
  counters(): SessionCounters;
  /** Every error reported so far (also passed to `onError`). */
  readonly errors: readonly SessionError[];
  /** Settles when the connection is gone, whichever side ended it. Never rejects. */
  readonly closed: Promise<void>;
  /** Cancels calls in progress and ends the connection cleanly. */
  close(): Promise<void>;
}

/** The method paths a session with these services serves, to advertise when opening it. */
export function sessionMethods(services: SessionServices): string[] {
  const methods: string[] = [SessionMethod.healthCheck];
  if (services.sync !== undefined && Object.keys(services.sync).length > 0) methods.push(SessionMethod.fileSyncDiffCopy);
  if (services.send !== undefined) methods.push(SessionMethod.fileSendDiffCopy);
  if (services.secrets !== undefined) methods.push(SessionMethod.getSecret);
  if (services.auth !== undefined) methods.push(SessionMethod.authCredentials);
  return methods;
}

type Handler = (call: GrpcCall) => Promise<void>;

/**
 * Serves a session on `duplex`: health checks for its whole life, then whatever `services` offers. Returns at
 * once; the engine drives the calls.
 */
export function serveSession(duplex: Duplex, services: SessionServices = {}, options: SessionServerOptions = {}): SessionServer {
  const counters = new CounterSet();
  const errors: SessionError[] = [];
  const report = (error: SessionError): void => {
    errors.push(error);
    options.onError?.(error);
  };
  const handlers = buildHandlers(services, counters, report);
  const lifetime = new AbortController();
  const running = new Set<Promise<void>>();
  const calls = new Set<GrpcCall>();
  let session: Http2Session | undefined;

  const server = createServer({ settings: { initialWindowSize: 1 << 20 } });
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  server.on("session", (created: Http2Session) => {
    session = created;
    // The connection window: let large exports stream without waiting on small window updates.
    created.on("connect", () => {
      created.setLocalWindowSize(8 << 20);
    });
    created.on("error", () => undefined);
    created.once("close", () => {
      lifetime.abort(new Error("session closed"));
      markClosed();
    });
  });

  server.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: readonly string[]) => {
    stream.on("error", () => undefined);
    const path = headers[":path"] ?? "";
    const call = new GrpcCall(stream, path, metadataFromRawHeaders(rawHeaders), lifetime.signal);
    calls.add(call);
    stream.once("close", () => calls.delete(call));
    const handler = handlers.get(path);
    if (handler === undefined) {
      call.finish(GrpcStatus.unimplemented, `unknown method ${path}`);
      return;
    }
    const task = handler(call)
      .catch((error: unknown) => {
        if (call.finished || call.signal.aborted) return;
        if (error instanceof FrameError) {
          report(new SessionError("protocol", `${path}: ${error.message}`, { method: path }, { cause: error }));
          call.finish(error.status, error.message);
          return;
        }
        report(error instanceof SessionError ? error : new SessionError("protocol", `${path} failed: ${messageOf(error)}`, { method: path }, { cause: error }));
        call.finish(GrpcStatus.internal, messageOf(error));
      })
      .finally(() => running.delete(task));
    running.add(task);
  });

  duplex.on("error", () => undefined);
  duplex.once("close", markClosed);
  server.emit("connection", duplex);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      lifetime.abort(new Error("session closed"));
      // Streams still open would hold `session.close()` until the engine ended them.
      for (const call of calls) call.reset();
      const current = session;
      if (current !== undefined && !current.destroyed) {
        const timer = setTimeout(() => {
          current.destroy();
        }, options.closeTimeoutMs ?? 2000);
        timer.unref();
        current.close();
        await closed;
        clearTimeout(timer);
      }
      duplex.destroy();
      await Promise.allSettled([...running]);
      markClosed();
    })();
    return closing;
  };

  return {
    methods: sessionMethods(services),
    counters: () => counters.snapshot(),
    get errors() {
      return [...errors];
    },
    closed,
    close,
  };
}

function buildHandlers(services: SessionServices, counters: CounterSet, report: (error: SessionError) => void): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  handlers.set(SessionMethod.healthCheck, (call) => serveHealthCheck(call, counters));
  const sync = services.sync;
  if (sync !== undefined) {
    const sources = new Map(Object.entries(sync));
    handlers.set(SessionMethod.fileSyncDiffCopy, (call) => serveFileSync(call, sources, counters, report));
  }
  const send = services.send;
  if (send !== undefined) handlers.set(SessionMethod.fileSendDiffCopy, (call) => serveFileSend(call, send, counters, report));
  if (services.secrets !== undefined) {
    const secrets = secretBytes(services.secrets);
    handlers.set(SessionMethod.getSecret, (call) => serveGetSecret(call, secrets, counters));
  }
  const auth = services.auth;
  if (auth !== undefined) handlers.set(SessionMethod.authCredentials, (call) => serveCredentials(call, auth));
  return handlers;
}
