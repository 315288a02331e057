import { randomUUID } from "node:crypto";
import type { BuildKitError, BuildKitErrorCode } from "./errors.ts";
import { Control } from "./gen/moby/buildkit/v1/control_pb.ts";
import { rawStatusResponse, solveRequestMessage, usageRecord, workerInfo } from "./control-convert.ts";
import type {
  CallOptions,
  PruneOptions,
  RawStatusResponse,
  SolveRequest,
  SolveResult,
  UsageRecord,
  WorkerInfo,
} from "./control-types.ts";
import type { EngineConnection } from "./transport/connection.ts";
import { toBuildKitError } from "./transport/rpc-error.ts";

/** A fresh build ref (Status key, gateway build id). */
export function newRef(): string {
  return randomUUID().replaceAll("-", "");
}

/**
 * Typed wrappers of `moby.buildkit.v1.Control`. Every method throws a BuildKitError (never a Connect error); an
 * AbortSignal cancels the call on the engine (HTTP/2 RST_STREAM CANCEL; the engine cancels a Solve's build).
 *
 * `solve` and `status` are the raw pair: start `status` together with `solve` (the engine waits only 3 s for a
 * job to register under the ref). `BuildKitClient.startSolve` does that for you, with typed progress events.
 */
export interface ControlClient {
  /** Runs a build and its export; resolves when both are done. A failed build is a `build-failed` error. */
  solve(request: SolveRequest, options?: CallOptions): Promise<SolveResult>;
  /** The raw progress of the build `ref`; ends when the build ends. */
  status(ref: string, options?: CallOptions): AsyncGenerator<RawStatusResponse, void, undefined>;
  /** The engine's workers and their platforms. */
  listWorkers(filter?: readonly string[], options?: CallOptions): Promise<WorkerInfo[]>;
  /** The build cache records. */
  diskUsage(filter?: readonly string[], options?: CallOptions): Promise<UsageRecord[]>;
  /** Removes cache records; resolves with the records removed. */
  prune(options?: PruneOptions, callOptions?: CallOptions): Promise<UsageRecord[]>;
}

/** The Control client on a connection. */
export function createControlClient(connection: EngineConnection): ControlClient {
  return new ConnectControlClient(connection);
}

class ConnectControlClient implements ControlClient {
  readonly #connection: EngineConnection;

  constructor(connection: EngineConnection) {
    this.#connection = connection;
  }

  async solve(request: SolveRequest, options: CallOptions = {}): Promise<SolveResult> {
    const ref = request.ref ?? newRef();
    try {
      const response = await this.#client.solve(solveRequestMessage({ ...request, ref }), signalOption(options.signal));
      return { ref, exporterResponse: { ...response.exporterResponse } };
    } catch (error) {
      throw this.#error(error, "Control.Solve", options.signal, "build-failed");
    }
  }

  async *status(ref: string, options: CallOptions = {}): AsyncGenerator<RawStatusResponse, void, undefined> {
    try {
      for await (const message of this.#client.status({ ref }, signalOption(options.signal))) {
        yield rawStatusResponse(message);
      }
    } catch (error) {
      throw this.#error(error, "Control.Status", options.signal);
    }
  }

  async listWorkers(filter: readonly string[] = [], options: CallOptions = {}): Promise<WorkerInfo[]> {
    try {
      const response = await this.#client.listWorkers({ filter: [...filter] }, signalOption(options.signal));
      return response.record.map(workerInfo);
    } catch (error) {
      throw this.#error(error, "Control.ListWorkers", options.signal);
    }
  }

  async diskUsage(filter: readonly string[] = [], options: CallOptions = {}): Promise<UsageRecord[]> {
    try {
      const response = await this.#client.diskUsage({ filter: [...filter] }, signalOption(options.signal));
      return response.record.map(usageRecord);
    } catch (error) {
      throw this.#error(error, "Control.DiskUsage", options.signal);
    }
  }

  async prune(options: PruneOptions = {}, callOptions: CallOptions = {}): Promise<UsageRecord[]> {
    const removed: UsageRecord[] = [];
    try {
      const stream = this.#client.prune(
        {
          filter: [...(options.filters ?? [])],
          all: options.all ?? false,
          keepDuration: BigInt(Math.round((options.keepDurationMs ?? 0) * 1e6)),
          keepBytes: BigInt(options.keepBytes ?? 0),
        },
        signalOption(callOptions.signal),
      );
      for await (const record of stream) {
        removed.push(usageRecord(record));
      }
      return removed;
    } catch (error) {
      throw this.#error(error, "Control.Prune", callOptions.signal);
    }
  }

  get #client() {
    return this.#connection.client(Control);
  }

  #error(error: unknown, what: string, signal: AbortSignal | undefined, failureCode?: BuildKitErrorCode): BuildKitError {
    return toBuildKitError(error, {
      what,
      signal,
      lost: this.#connection.h2.lostError,
      address: this.#connection.display,
      ...(failureCode === undefined ? {} : { failureCode }),
    });
  }
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
