import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { BuildKitError, parseExitCode } from "../errors.ts";
import type { BuildKitErrorCode, GrpcStatus } from "../errors.ts";

const CODE_NAMES: Readonly<Record<number, string>> = {
  [Code.Canceled]: "canceled",
  [Code.Unknown]: "unknown",
  [Code.InvalidArgument]: "invalid-argument",
  [Code.DeadlineExceeded]: "deadline-exceeded",
  [Code.NotFound]: "not-found",
  [Code.AlreadyExists]: "already-exists",
  [Code.PermissionDenied]: "permission-denied",
  [Code.ResourceExhausted]: "resource-exhausted",
  [Code.FailedPrecondition]: "failed-precondition",
  [Code.Aborted]: "aborted",
  [Code.OutOfRange]: "out-of-range",
  [Code.Unimplemented]: "unimplemented",
  [Code.Internal]: "internal",
  [Code.Unavailable]: "unavailable",
  [Code.DataLoss]: "data-loss",
  [Code.Unauthenticated]: "unauthenticated",
};

export interface RpcErrorContext {
  /** What was being done, for the message: `Control.Solve`. */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  /** Set when the connection under the call was lost; wins over the symptom Connect reports. */
  readonly lost?: BuildKitError | undefined;
  /** The code for errors the engine reported about the work itself (Solve: `build-failed`). */
  readonly failureCode?: BuildKitErrorCode;
  readonly address?: string;
}

/** Turns whatever a Connect call threw into a BuildKitError; never returns a Connect type. */
export function toBuildKitError(error: unknown, context: RpcErrorContext): BuildKitError {
  if (error instanceof BuildKitError) {
    return error;
  }
  const ours = findBuildKitCause(error);
  if (ours !== undefined) {
    return ours;
  }
  const address = context.address === undefined ? {} : { address: context.address };
  if (context.signal?.aborted === true) {
    return new BuildKitError("aborted", `${context.what}: aborted`, { cause: context.signal.reason, ...address });
  }
  if (context.lost !== undefined) {
    return new BuildKitError("connection-lost", `${context.what}: ${context.lost.message}`, { cause: error, ...address });
  }
  const connectError = ConnectError.from(error);
  const grpcStatus: GrpcStatus = {
    code: connectError.code,
    name: CODE_NAMES[connectError.code] ?? String(connectError.code),
    message: connectError.rawMessage,
  };
  const fromServer = connectError.metadata.has("grpc-status") || connectError.code === Code.Unknown;
  const code: BuildKitErrorCode =
    !fromServer && connectError.code === Code.Unavailable
      ? "connection-lost"
      : context.failureCode !== undefined && connectError.code === Code.Unknown
        ? context.failureCode
        : "rpc-failed";
  const exitCode = parseExitCode(connectError.rawMessage);
  const digest = vertexDigestFromDetails(connectError);
  return new BuildKitError(code, `${context.what}: ${connectError.rawMessage}`, {
    cause: error,
    grpcStatus,
    ...address,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(digest === undefined ? {} : { vertex: { digest, name: "", error: connectError.rawMessage } }),
  });
}

function findBuildKitCause(error: unknown): BuildKitError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof BuildKitError) {
      return current;
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * A standalone buildkitd attaches `errdefs.Vertex{1 digest}` to build errors in `grpc-status-details-bin`
 * (buildkit-wire.md §1). The Docker Engine 20.10 sends no details.
 */
function vertexDigestFromDetails(error: ConnectError): string | undefined {
  for (const detail of error.details) {
    if (!("type" in detail) || !(detail.value instanceof Uint8Array) || !/(^|\.)errdefs\.Vertex$/.test(detail.type)) {
      continue;
    }
    try {
      const reader = new BinaryReader(detail.value);
      while (reader.pos < reader.len) {
        const [field, wireType] = reader.tag();
        if (field === 1 && wireType === WireType.LengthDelimited) {
          return reader.string();
        }
        reader.skip(wireType);
      }
    } catch {
      return undefined;
    }
  }
  return undefined;
}
