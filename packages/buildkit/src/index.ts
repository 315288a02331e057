// Public API of @chutes/buildkit. Generated protobuf types and Connect's classes stay inside (STYLE.md item 10).

export { connectBuildKit } from "./client.ts";
export type { BuildKitClient } from "./client.ts";
export type { ControlClient } from "./control.ts";
export type { SolveJob, StartSolveOptions } from "./solve-job.ts";
export type {
  CacheEntry,
  CallOptions,
  ExporterSpec,
  LLBDefinition,
  OpMetadataInit,
  Platform,
  PruneOptions,
  RawStatusResponse,
  RawVertex,
  RawVertexLog,
  RawVertexStatus,
  RawVertexWarning,
  SolveRequest,
  SolveResult,
  UsageRecord,
  WorkerInfo,
} from "./control-types.ts";

export { DEFAULT_SOCKETS, formatAddress, parseAddress, resolveAddress } from "./transport/address.ts";
export type {
  AddressSource,
  EngineAddress,
  EngineKind,
  ResolveAddressOptions,
  TcpAddress,
  UnixAddress,
} from "./transport/address.ts";
export type { ConnectOptions, SessionStreamOptions } from "./transport/connection.ts";
export type { TlsOptions } from "./transport/dial.ts";
export type { KeepaliveOptions } from "./transport/h2-connection.ts";

export { BuildKitError } from "./errors.ts";
export type { BuildKitErrorCode, BuildKitErrorOptions, FailedVertex, GrpcStatus } from "./errors.ts";

export { ProgressConverter, isCancellation, progressEvents } from "./progress/convert.ts";
export type {
  LogEvent,
  ProgressEvent,
  ProgressEventKind,
  StatusEvent,
  VertexCachedEvent,
  VertexCompletedEvent,
  VertexErroredEvent,
  VertexRef,
  VertexStartedEvent,
  WarningEvent,
} from "./progress/events.ts";
export { createProgressRenderer, renderProgress } from "./progress/render.ts";
export type { ProgressMode, ProgressRendererOptions } from "./progress/render.ts";
export type { ProgressOutput, ProgressRenderer } from "./progress/renderer.ts";

export { serveSession, sessionMethods } from "./session/server.ts";
export type { SessionServer, SessionServerOptions, SessionServices } from "./session/server.ts";
export type { DirCounters, SessionCounters } from "./session/counters.ts";
export { directorySource, manifestSource, memorySource } from "./session/source.ts";
export type { FileContents, ManifestEntryLike, ManifestLike, MemorySourceOptions, SyncEntry, SyncSource } from "./session/source.ts";
export type { SyncRequest } from "./session/metadata.ts";
export type { SendTarget } from "./session/file-send.ts";
export type { SecretValues } from "./session/secrets.ts";
export type { RegistryCredentials } from "./session/auth.ts";
export { sessionSharedKey } from "./session/shared-key.ts";
export { SessionError } from "./session/errors.ts";
export type { SessionErrorCode, SessionErrorDetails } from "./session/errors.ts";
