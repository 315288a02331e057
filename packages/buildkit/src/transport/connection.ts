import { readFile } from "node:fs/promises";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import type { Client, Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BuildKitError } from "../errors.ts";
import { BytesMessageSchema, Control } from "../gen/moby/buildkit/v1/control_pb.ts";
import { formatAddress, resolveAddress } from "./address.ts";
import type { EngineAddress, EngineKind, ResolveAddressOptions } from "./address.ts";
import { createBidiDuplex } from "./bidi-duplex.ts";
import { dial } from "./dial.ts";
import type { TlsOptions } from "./dial.ts";
import { Http2Connection } from "./h2-connection.ts";
import type { KeepaliveOptions } from "./h2-connection.ts";
import { probeEngineKind } from "./probe.ts";
import { toBuildKitError } from "./rpc-error.ts";
import { upgradeToH2c } from "./upgrade.ts";

export interface ConnectOptions extends ResolveAddressOptions {
  /** Client TLS for `tcp://` addresses (mutual TLS with `cert` and `key`). */
  readonly tls?: TlsOptions;
  /** How long to wait for the socket, the TLS handshake, the HTTP upgrade or the kind probe. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /**
   * HTTP/2 PING keepalive while calls are open. Defaults: every 5 s of silence with a 5 s timeout on the Docker
   * Engine (whose `/grpc` server answers PINGs without limits); every 5 min with a 20 s timeout on buildkitd
   * (gRPC servers reject clients that PING more often than every 5 minutes by default).
   */
  readonly keepalive?: Partial<KeepaliveOptions>;
  readonly signal?: AbortSignal;
}

/** What the session server announces to the engine (buildkit-wire.md §6). */
export interface SessionStreamOptions {
  /** The session UUID; put the same value in `SolveRequest.session`. Must be unique. */
  readonly sessionId: string;
  /** A display name (`X-Docker-Expose-Session-Name`). */
  readonly name: string;
  /** A stable key for incremental context reuse (`X-Docker-Expose-Session-Sharedkey`). */
  readonly sharedKey: string;
  /** Every gRPC method the session serves, e.g. `/moby.filesync.v1.FileSync/DiffCopy`. */
  readonly methods: readonly string[];
  readonly signal?: AbortSignal;
}

const DOCKER_KEEPALIVE: KeepaliveOptions = { intervalMs: 5_000, timeoutMs: 5_000 };
const BUILDKITD_KEEPALIVE: KeepaliveOptions = { intervalMs: 5 * 60_000 + 1_000, timeoutMs: 20_000 };
const AUTHORITY = "http://buildkit";

/**
 * One engine: the resolved address, its kind, and one multiplexed HTTP/2 connection carrying every gRPC call
 * (Control and LLBBridge). Internal: the public face is `BuildKitClient`.
 */
export class EngineConnection {
  readonly kind: EngineKind;
  readonly address: EngineAddress;
  readonly h2: Http2Connection;
  readonly transport: Transport;
  readonly #tls: TlsOptions | undefined;
  readonly #timeoutMs: number;
  readonly #clients = new Map<DescService, Client<DescService>>();

  private constructor(kind: EngineKind, address: EngineAddress, tls: TlsOptions | undefined, options: ConnectOptions) {
    this.kind = kind;
    this.address = address;
    this.#tls = tls;
    this.#timeoutMs = options.connectTimeoutMs ?? 10_000;
    const keepalive = { ...(kind === "docker" ? DOCKER_KEEPALIVE : BUILDKITD_KEEPALIVE), ...options.keepalive };
    this.h2 = new Http2Connection(AUTHORITY, () => this.#openGrpcSocket(), keepalive, this.display);
    this.transport = createGrpcTransport({ baseUrl: AUTHORITY, sessionManager: this.h2 });
  }

  /** Resolves the address, decides the kind (probing a bare address), and opens the HTTP/2 connection. */
  static async open(options: ConnectOptions = {}): Promise<EngineConnection> {
    const address = resolveAddress(options);
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    const tls = options.tls ?? (address.network === "tcp" ? await dockerTlsFromEnv(address) : undefined);
    let kind: EngineKind;
    if (address.kind === "auto") {
      const socket = await dial(address, { tls, alpn: "http/1.1", timeoutMs, signal: options.signal });
      const probed = await probeEngineKind(socket, timeoutMs);
      if (probed === "silent") {
        throw new BuildKitError("engine-unreachable", `${address.raw} accepted a connection but answered neither HTTP/1.1 nor HTTP/2 within ${timeoutMs} ms`, {
          address: address.raw,
        });
      }
      kind = probed;
    } else {
      kind = address.kind;
    }
    const connection = new EngineConnection(kind, address, tls, options);
    try {
      await connection.h2.connect();
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  /** The address with its kind made explicit, e.g. `docker+unix:///var/run/docker.sock`. */
  get display(): string {
    return formatAddress(this.address, this.kind);
  }

  /** A Connect client for a service on this connection (cached per service). */
  client<S extends DescService>(service: S): Client<S> {
    let client = this.#clients.get(service);
    if (client === undefined) {
      client = createClient(service, this.transport);
      this.#clients.set(service, client);
    }
    return client as unknown as Client<S>;
  }

  /**
   * A raw byte stream on which the engine is the HTTP/2 client of the caller's session server.
   * - Docker Engine: a new `POST /session` connection, upgraded to h2c with the `X-Docker-Expose-Session-*`
   *   headers; the socket is returned right after the `101` (paused, with any bytes the engine already sent
   *   pushed back), so the engine's HTTP/2 preface is the first thing read from it.
   * - buildkitd: the `Control.Session` bidi stream on the shared connection, with the same headers as gRPC
   *   metadata, as a Duplex of the BytesMessage payloads.
   */
  async openSessionStream(options: SessionStreamOptions): Promise<Duplex> {
    const headers = sessionHeaders(options);
    if (this.kind === "docker") {
      const socket = await dial(this.address, {
        tls: this.#tls,
        alpn: "http/1.1",
        timeoutMs: this.#timeoutMs,
        signal: options.signal,
      });
      await upgradeToH2c(socket, { path: "/session", headers, timeoutMs: this.#timeoutMs, address: this.display });
      return socket;
    }
    const control = this.client(Control);
    const metadata = new Headers();
    for (const [name, value] of headers) {
      metadata.append(name.toLowerCase(), value);
    }
    const what = "Control.Session";
    const duplex = createBidiDuplex(
      (input, signal) => {
        const requests = (async function* () {
          for await (const data of input) {
            yield create(BytesMessageSchema, { data });
          }
        })();
        const responses = control.session(requests, { signal, headers: metadata });
        return (async function* () {
          for await (const message of responses) {
            yield message.data;
          }
        })();
      },
      (error) => toBuildKitError(error, { what, lost: this.h2.lostError, address: this.display }),
    );
    if (options.signal !== undefined) {
      const signal = options.signal;
      const onAbort = (): void => {
        duplex.destroy(new BuildKitError("aborted", `${what}: aborted`, { cause: signal.reason }));
      };
      if (signal.aborted) {
        onAbort();
      } else {
        signal.addEventListener("abort", onAbort, { once: true });
        duplex.once("close", () => {
          signal.removeEventListener("abort", onAbort);
        });
      }
    }
    return duplex;
  }

  close(): Promise<void> {
    return this.h2.close();
  }

  async #openGrpcSocket(): Promise<Socket> {
    const socket = await dial(this.address, {
      tls: this.#tls,
      alpn: this.kind === "docker" ? "http/1.1" : "h2",
      timeoutMs: this.#timeoutMs,
    });
    if (this.kind === "docker") {
      await upgradeToH2c(socket, { path: "/grpc", timeoutMs: this.#timeoutMs, address: this.display });
    }
    return socket;
  }
}

function sessionHeaders(options: SessionStreamOptions): [string, string][] {
  return [
    ["X-Docker-Expose-Session-Uuid", options.sessionId],
    ["X-Docker-Expose-Session-Name", options.name],
    ["X-Docker-Expose-Session-Sharedkey", options.sharedKey],
    ...options.methods.map((method): [string, string] => ["X-Docker-Expose-Session-Grpc-Method", method]),
  ];
}

/** DOCKER_TLS_VERIFY with DOCKER_HOST: the Docker CLI's `ca.pem`, `cert.pem`, `key.pem`. */
async function dockerTlsFromEnv(address: EngineAddress): Promise<TlsOptions | undefined> {
  if (address.network !== "tcp" || address.dockerCertPath === undefined) {
    return undefined;
  }
  const dir = address.dockerCertPath;
  try {
    const [ca, cert, key] = await Promise.all(["ca.pem", "cert.pem", "key.pem"].map((file) => readFile(join(dir, file), "utf8")));
    return { ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
  } catch (error) {
    throw new BuildKitError("invalid-address", `DOCKER_TLS_VERIFY is set but the TLS files in ${dir} cannot be read: ${(error as Error).message}`, {
      cause: error,
      address: address.raw,
    });
  }
}
