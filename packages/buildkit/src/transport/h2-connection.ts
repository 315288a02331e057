import { connect as http2Connect, constants as h2 } from "node:http2";
import type { ClientHttp2Session, ClientHttp2Stream, ClientSessionRequestOptions, OutgoingHttpHeaders } from "node:http2";
import type { Socket } from "node:net";
import type { GrpcTransportOptions } from "@connectrpc/connect-node";
import { BuildKitError } from "../errors.ts";

type SessionManager = NonNullable<GrpcTransportOptions["sessionManager"]>;

/** HTTP/2 PING keepalive: how a hung engine is noticed while calls are open. */
export interface KeepaliveOptions {
  /** Send a PING when an open call has received nothing for this long. */
  readonly intervalMs: number;
  /** Declare the connection lost when a PING is not answered within this time. */
  readonly timeoutMs: number;
}

/** Headers whose values are lists on the wire: one header field per value, never joined with ", ". */
const MULTI_VALUE_HEADERS = new Set(["x-docker-expose-session-grpc-method"]);

/**
 * One HTTP/2 client connection to an engine, used by Connect as its session manager. The socket comes from
 * `open` (a plain, TLS, or hijacked `/grpc` socket), so the same code serves every transport. The connection:
 * - opens lazily, and again on the next call after it was lost (in-flight calls fail, none hang);
 * - sends PINGs while calls are open and the engine is silent, and fails every open call with a
 *   `connection-lost` BuildKitError when one goes unanswered or the socket closes;
 * - does not keep the process alive while no call is open.
 */
export class Http2Connection implements SessionManager {
  readonly authority: string;
  #open: () => Promise<Socket>;
  #keepalive: KeepaliveOptions;
  #address: string;
  #session: ClientHttp2Session | undefined;
  #connecting: Promise<ClientHttp2Session> | undefined;
  #streams = new Set<ClientHttp2Stream>();
  #lastAliveAt = 0;
  #pingTimer: NodeJS.Timeout | undefined;
  #pingPending = false;
  #closed = false;
  #lost: BuildKitError | undefined;

  constructor(authority: string, open: () => Promise<Socket>, keepalive: KeepaliveOptions, address: string) {
    this.authority = authority;
    this.#open = open;
    this.#keepalive = keepalive;
    this.#address = address;
  }

  /** The error that ended the last connection, if it was lost rather than closed by us. */
  get lostError(): BuildKitError | undefined {
    return this.#lost;
  }

  /** Opens the connection now (otherwise the first call does). */
  async connect(): Promise<void> {
    await this.#ensureSession();
  }

  async request(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    options: Omit<ClientSessionRequestOptions, "signal">,
  ): Promise<ClientHttp2Stream> {
    const session = await this.#ensureSession();
    const stream = session.request({ ...splitMultiValueHeaders(headers), ":method": method, ":path": path }, options);
    this.#track(session, stream);
    return stream;
  }

  notifyResponseByteRead(_stream: ClientHttp2Stream): void {
    this.#lastAliveAt = Date.now();
  }

  /** Closes the connection; open calls end with an error. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#stopPing();
    const session = this.#session;
    this.#session = undefined;
    if (session === undefined || session.destroyed) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // Keep the process alive until the connection is really closed.
      session.ref();
      const fallback = setTimeout(() => {
        session.destroy();
        resolve();
      }, 1000);
      session.close(() => {
        clearTimeout(fallback);
        resolve();
      });
      for (const stream of this.#streams) {
        stream.close(h2.NGHTTP2_CANCEL);
      }
    });
  }

  #ensureSession(): Promise<ClientHttp2Session> {
    if (this.#closed) {
      return Promise.reject(new BuildKitError("connection-lost", "the BuildKit connection was closed", { address: this.#address }));
    }
    const current = this.#session;
    if (current !== undefined && !current.closed && !current.destroyed) {
      return Promise.resolve(current);
    }
    this.#connecting ??= this.#dial().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #dial(): Promise<ClientHttp2Session> {
    const socket = await this.#open();
    if (this.#closed) {
      socket.destroy();
      throw new BuildKitError("connection-lost", "the BuildKit connection was closed", { address: this.#address });
    }
    const session = http2Connect(this.authority, { createConnection: () => socket });
    this.#session = session;
    this.#lost = undefined;
    this.#lastAliveAt = Date.now();
    session.unref();
    session.on("error", (error: Error) => {
      this.#onLost(session, `the connection to the engine failed: ${error.message}`, error);
    });
    session.on("goaway", (errorCode: number) => {
      if (errorCode !== h2.NGHTTP2_NO_ERROR) {
        this.#onLost(session, `the engine closed the connection (HTTP/2 GOAWAY, code ${errorCode})`);
      }
    });
    session.on("close", () => {
      this.#onLost(session, "the engine closed the connection");
    });
    socket.on("close", () => {
      this.#onLost(session, "the engine closed the connection");
    });
    return session;
  }

  #track(session: ClientHttp2Session, stream: ClientHttp2Stream): void {
    this.#streams.add(stream);
    if (this.#streams.size === 1) {
      session.ref();
      this.#startPing(session);
    }
    stream.once("close", () => {
      this.#streams.delete(stream);
      if (this.#streams.size === 0) {
        this.#stopPing();
        if (!session.destroyed) {
          session.unref();
        }
      }
    });
  }

  #startPing(session: ClientHttp2Session): void {
    this.#stopPing();
    const tick = Math.max(50, Math.min(this.#keepalive.intervalMs, 1000));
    this.#pingTimer = setInterval(() => {
      if (this.#pingPending || Date.now() - this.#lastAliveAt < this.#keepalive.intervalMs) {
        return;
      }
      this.#pingPending = true;
      const timeout = setTimeout(() => {
        this.#onLost(session, `the engine did not answer an HTTP/2 PING within ${this.#keepalive.timeoutMs} ms`);
      }, this.#keepalive.timeoutMs);
      const sent = session.ping((error) => {
        clearTimeout(timeout);
        this.#pingPending = false;
        if (error === null) {
          this.#lastAliveAt = Date.now();
        }
      });
      if (!sent) {
        clearTimeout(timeout);
        this.#pingPending = false;
      }
    }, tick);
    this.#pingTimer.unref();
  }

  #stopPing(): void {
    if (this.#pingTimer !== undefined) {
      clearInterval(this.#pingTimer);
      this.#pingTimer = undefined;
    }
    this.#pingPending = false;
  }

  /** Ends every open call with a `connection-lost` error, once per session; later calls reconnect. */
  #onLost(session: ClientHttp2Session, why: string, cause?: unknown): void {
    if (this.#session !== session) {
      return;
    }
    this.#session = undefined;
    this.#stopPing();
    const error = new BuildKitError("connection-lost", this.#closed ? "the BuildKit connection was closed" : why, {
      address: this.#address,
      ...(cause === undefined ? {} : { cause }),
    });
    if (!this.#closed) {
      this.#lost = error;
    }
    for (const stream of this.#streams) {
      stream.destroy(error);
    }
    this.#streams.clear();
    session.destroy();
  }
}

/** Node's http2 sends an array value as one header field per element; Connect joins lists with ", ". */
function splitMultiValueHeaders(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = MULTI_VALUE_HEADERS.has(name) && typeof value === "string" ? value.split(", ") : value;
  }
  return out;
}
