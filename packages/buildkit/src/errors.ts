import { ChutesError } from "@chutes/image-core";
import type { ChutesErrorOptions, SourceLocation } from "@chutes/image-core";

/**
 * Stable codes of {@link BuildKitError}. Callers match on these, never on the message.
 *
 * - `invalid-address`: the engine address cannot be used (unknown scheme, missing path, TLS files unreadable).
 * - `engine-unreachable`: nothing answers at the address (no socket, connection refused, probe timed out).
 * - `upgrade-failed`: the Docker Engine refused `POST /grpc` or `POST /session` (no 101 reply).
 * - `connection-lost`: an established connection dropped, or stopped answering HTTP/2 PINGs.
 * - `aborted`: the caller's AbortSignal fired; the engine was told to cancel.
 * - `build-failed`: the engine ran the build and it failed (a step exited non-zero, a source was missing...).
 * - `rpc-failed`: any other gRPC error (unknown method, invalid request, no such job...).
 * - `invalid-option`: a build option that cannot work (no Dockerfile text for the Dockerfile frontend, a tag
 *   that is not an image reference...), found before anything is sent to the engine.
 */
export type BuildKitErrorCode =
  | "invalid-address"
  | "engine-unreachable"
  | "upgrade-failed"
  | "connection-lost"
  | "aborted"
  | "build-failed"
  | "rpc-failed"
  | "invalid-option";

/** The gRPC status an engine answered with. */
export interface GrpcStatus {
  /** The numeric gRPC code (2 = UNKNOWN, 12 = UNIMPLEMENTED, 14 = UNAVAILABLE...). */
  readonly code: number;
  /** The gRPC code's name in lower kebab case (`unknown`, `unimplemented`...). */
  readonly name: string;
  /** `grpc-message`, as sent. */
  readonly message: string;
}

/** The vertex (build step) a build failed in, as far as the engine told us. */
export interface FailedVertex {
  /** The vertex digest: for LLB ops, the op digest. */
  readonly digest: string;
  /** The name shown in progress (`[2/3] RUN make`, or the op's `llb.customname`). */
  readonly name: string;
  /** The vertex's own error text. */
  readonly error: string;
}

/** The image step a failed vertex belongs to, in IR coordinates, when the build's back end could tell. */
export interface FailedStep {
  /** The stage id. */
  readonly stage: string;
  /** The step's index within its stage, counted from 0 (as `Issue.step`). */
  readonly step: number;
  /** The step's `kind` (`run`, `copy`...). */
  readonly kind: string;
  /** For a `run` step: the command as the shell runs it (folded lines joined), or the argv as JSON. */
  readonly command?: string;
  /** The builder method that made the step, when the image tells (`originOf`). */
  readonly method?: string;
  /** Where that method was called, when the image tells. */
  readonly location?: SourceLocation;
}

export interface BuildKitErrorOptions extends ChutesErrorOptions {
  readonly grpcStatus?: GrpcStatus;
  readonly vertex?: FailedVertex;
  readonly step?: FailedStep;
  readonly exitCode?: number;
  readonly logs?: readonly string[];
  readonly address?: string;
}

/** Every failure of `@chutes/buildkit`: transport, protocol and build errors alike. */
export class BuildKitError extends ChutesError {
  declare readonly code: BuildKitErrorCode;
  /** The gRPC status, when the engine answered with one. */
  readonly grpcStatus: GrpcStatus | undefined;
  /** The failing vertex, for `build-failed` errors where the progress stream named one. */
  readonly vertex: FailedVertex | undefined;
  /** The image step that failed, for `build-failed` errors of `build()` where the vertex maps to one. */
  readonly step: FailedStep | undefined;
  /** The exit code of a failed process (`RUN`/exec), parsed from the engine's message. */
  readonly exitCode: number | undefined;
  /** The last lines the failing vertex logged (stdout and stderr, in order). */
  readonly logs: readonly string[];
  /** The engine address, for transport errors. */
  readonly address: string | undefined;

  constructor(code: BuildKitErrorCode, message: string, options: BuildKitErrorOptions = {}) {
    super(code, message, options);
    this.name = "BuildKitError";
    this.grpcStatus = options.grpcStatus;
    this.vertex = options.vertex;
    this.step = options.step;
    this.exitCode = options.exitCode;
    this.logs = options.logs ?? [];
    this.address = options.address;
  }
}

const EXIT_CODE = /exit code: (\d+)/;

/** The exit code in an engine message such as `executor failed running [...]: exit code: 3`. */
export function parseExitCode(message: string): number | undefined {
  const match = EXIT_CODE.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
