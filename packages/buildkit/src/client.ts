import type { Duplex } from "node:stream";
import { createControlClient } from "./control.ts";
import type { ControlClient } from "./control.ts";
import type { SolveRequest } from "./control-types.ts";
import { startSolve } from "./solve-job.ts";
import type { SolveJob, StartSolveOptions } from "./solve-job.ts";
import type { EngineKind } from "./transport/address.ts";
import { EngineConnection } from "./transport/connection.ts";
import type { ConnectOptions, SessionStreamOptions } from "./transport/connection.ts";

/** A connection to one BuildKit engine (see `connectBuildKit`). */
export interface BuildKitClient {
  /** `docker`: the Docker Engine's embedded BuildKit (`/grpc`, `/session`); `buildkitd`: a standalone daemon. */
  readonly kind: EngineKind;
  /** The address with its kind explicit, e.g. `docker+unix:///var/run/docker.sock`. */
  readonly address: string;
  /** The raw Control API: solve, status, listWorkers, diskUsage, prune. */
  readonly control: ControlClient;
  /** Starts a build with typed progress (Status and Solve together). */
  startSolve(request: SolveRequest, options?: StartSolveOptions): SolveJob;
  /**
   * A raw byte stream for a session server: the engine is the HTTP/2 client on it, the caller serves HTTP/2
   * (gRPC session services) over it. Docker Engine: a new hijacked `POST /session` connection, returned paused
   * right after the `101` (resume it, pipe it, or hand it to an HTTP/2 server). buildkitd: the `Control.Session`
   * stream. Put `sessionId` into `SolveRequest.session`.
   */
  openSessionStream(options: SessionStreamOptions): Promise<Duplex>;
  /** Closes the connection; calls still open fail with a `connection-lost` BuildKitError. */
  close(): Promise<void>;
}

const connections = new WeakMap<BuildKitClient, EngineConnection>();

class EngineClient implements BuildKitClient {
  readonly kind: EngineKind;
  readonly address: string;
  readonly control: ControlClient;
  readonly #connection: EngineConnection;

  constructor(connection: EngineConnection) {
    this.kind = connection.kind;
    this.address = connection.display;
    this.control = createControlClient(connection);
    this.#connection = connection;
  }

  startSolve(request: SolveRequest, options: StartSolveOptions = {}): SolveJob {
    return startSolve(this.control, request, options);
  }

  openSessionStream(options: SessionStreamOptions): Promise<Duplex> {
    return this.#connection.openSessionStream(options);
  }

  close(): Promise<void> {
    return this.#connection.close();
  }
}

/**
 * Connects to a BuildKit engine: the address comes from `options.address`, then `BUILDKIT_HOST`, then
 * `DOCKER_HOST`, then the default sockets. Fails with a BuildKitError (`invalid-address`,
 * `engine-unreachable`, `upgrade-failed`) when the engine cannot be reached.
 */
export async function connectBuildKit(options: ConnectOptions = {}): Promise<BuildKitClient> {
  const connection = await EngineConnection.open(options);
  const client = new EngineClient(connection);
  connections.set(client, connection);
  return client;
}

/** The connection under a client, for the package's own modules (the session, the LLB bridge). Not exported. */
export function engineConnection(client: BuildKitClient): EngineConnection {
  const connection = connections.get(client);
  if (connection === undefined) {
    throw new TypeError("not a client made by connectBuildKit");
  }
  return connection;
}
