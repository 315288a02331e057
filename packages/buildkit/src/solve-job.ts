import { BuildKitError, parseExitCode } from "./errors.ts";
import type { ControlClient } from "./control.ts";
import { newRef } from "./control.ts";
import type { SolveRequest, SolveResult } from "./control-types.ts";
import { EventQueue } from "./event-queue.ts";
import { ProgressConverter } from "./progress/convert.ts";
import type { ProgressEvent, VertexErroredEvent, VertexRef } from "./progress/events.ts";
import { StreamLines } from "./progress/format.ts";

export interface StartSolveOptions {
  /** Cancels the build on the engine; `result` then rejects with an `aborted` BuildKitError. */
  readonly signal?: AbortSignal;
  /** How many of the failing step's last log lines a `build-failed` error carries. Default 20. */
  readonly logLines?: number;
}

/** A running build: its progress events and its outcome. */
export interface SolveJob {
  /** The build ref (Status key). */
  readonly ref: string;
  /** Typed progress, ending when the build ends; iterate it once. Errors arrive through `result` only. */
  readonly events: AsyncIterable<ProgressEvent>;
  /** The exporter's response; rejects with a BuildKitError (`build-failed`, `aborted`, `connection-lost`...). */
  readonly result: Promise<SolveResult>;
}

/**
 * How long the Status stream may go on after Solve returned before it is cut. It normally ends at once; the
 * wait lets a failed build's last logs arrive, and an aborted build's cancellation show in the events.
 */
const STATUS_GRACE_MS = 3000;
const STATUS_GRACE_AFTER_ABORT_MS = 1000;

/**
 * Starts `Control.Status` and `Control.Solve` together (the engine waits only 3 s for a job to register under
 * the ref) and converts the progress. A failed build's error names the step that failed (the errored vertex),
 * its exit code and its last log lines.
 */
export function startSolve(control: ControlClient, request: SolveRequest, options: StartSolveOptions = {}): SolveJob {
  const ref = request.ref ?? newRef();
  const queue = new EventQueue<ProgressEvent>();
  const converter = new ProgressConverter();
  const logs = new Map<string, { splitter: StreamLines; lines: string[] }>();
  const errored: VertexErroredEvent[] = [];
  const keep = options.logLines ?? 20;
  const statusAbort = new AbortController();

  const observe = (event: ProgressEvent): void => {
    if (event.kind === "log") {
      let entry = logs.get(event.vertex.digest);
      if (entry === undefined) {
        entry = { splitter: new StreamLines(), lines: [] };
        logs.set(event.vertex.digest, entry);
      }
      entry.lines.push(...entry.splitter.push(event.stream, event.data));
      entry.lines.splice(0, Math.max(0, entry.lines.length - keep));
    } else if (event.kind === "vertex-errored") {
      errored.push(event);
    }
  };

  const statusDone = (async () => {
    try {
      for await (const message of control.status(ref, { signal: statusAbort.signal })) {
        for (const event of converter.push(message)) {
          observe(event);
          queue.push(event);
        }
      }
    } catch {
      // Progress is best effort: the Solve call decides the outcome.
    }
  })();

  const solving = control.solve({ ...request, ref }, options.signal === undefined ? {} : { signal: options.signal });

  const result = (async () => {
    let failure: unknown;
    let value: SolveResult | undefined;
    try {
      value = await solving;
    } catch (error) {
      failure = error;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      statusDone,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.signal?.aborted === true ? STATUS_GRACE_AFTER_ABORT_MS : STATUS_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    statusAbort.abort();
    await statusDone;
    queue.close();
    if (failure !== undefined || value === undefined) {
      throw explainFailure(failure, errored, converter.vertices(), logs, keep);
    }
    return value;
  })();
  result.catch(() => undefined);

  return { ref, events: queue, result };
}

function explainFailure(
  failure: unknown,
  errored: readonly VertexErroredEvent[],
  vertices: readonly VertexRef[],
  logs: ReadonlyMap<string, { splitter: StreamLines; lines: string[] }>,
  keep: number,
): BuildKitError {
  const error =
    failure instanceof BuildKitError ? failure : new BuildKitError("rpc-failed", String(failure), { cause: failure });
  if (error.code !== "build-failed") {
    return error;
  }
  const engineMessage = error.grpcStatus?.message ?? error.message;
  const failed = errored.filter((e) => !e.canceled);
  // The engine's own pointer (errdefs.Vertex, standalone buildkitd) first, then the errored vertex whose error
  // the message repeats, then the last one that errored.
  const named = error.vertex === undefined ? undefined : vertices.find((v) => v.digest === error.vertex?.digest);
  const event =
    failed.find((e) => e.vertex.digest === named?.digest) ?? (named === undefined ? (failed.find((e) => engineMessage.includes(e.error)) ?? failed.at(-1)) : undefined);
  const vertex = event?.vertex ?? named;
  if (vertex === undefined) {
    return error;
  }
  const entry = logs.get(vertex.digest);
  const lines = entry === undefined ? [] : [...entry.lines, ...entry.splitter.flush()].slice(-keep);
  const vertexError = event?.error ?? "";
  const exitCode = error.exitCode ?? parseExitCode(vertexError);
  const message = [
    `build failed at step #${vertex.index} "${vertex.name}": ${engineMessage}`,
    ...(lines.length === 0 ? [] : ["last output:", ...lines.map((line) => `  ${line}`)]),
  ].join("\n");
  return new BuildKitError("build-failed", message, {
    cause: error,
    vertex: { digest: vertex.digest, name: vertex.name, error: vertexError },
    logs: lines,
    ...(error.grpcStatus === undefined ? {} : { grpcStatus: error.grpcStatus }),
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(error.address === undefined ? {} : { address: error.address }),
  });
}
