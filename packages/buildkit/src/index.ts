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
export type { BuildKitErrorCode, BuildKitErrorOptions, FailedStep, FailedVertex, GrpcStatus } from "./errors.ts";

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

export { build } from "./build/build.ts";
export type { BuildNetwork, BuildOptions, BuildResult, ExporterOption, ImageLike, ProgressOption } from "./build/options.ts";
export type { PreparedSolve, SolveBackend, SolveBackendContext, StepCoordinates } from "./build/backend.ts";
export { DOCKERFILE_FRONTEND, dockerfileBackend, prepareDockerfileSolve } from "./build/dockerfile-backend.ts";
export type { DockerfileSolveInput } from "./build/dockerfile-backend.ts";
export { normaliseTag } from "./build/tags.ts";

export { marshalLLB } from "./llb/marshal.ts";
export type { LLBNetwork, MarshalOptions, MarshaledImage, StepRef } from "./llb/marshal.ts";
export { resolveBaseConfigs } from "./llb/resolve.ts";
export type { ResolveBaseConfigsOptions } from "./llb/resolve.ts";
export { llbBackend } from "./llb/backend.ts";
export { LLBError } from "./llb/errors.ts";
export type { LLBErrorCode, LLBErrorDetails } from "./llb/errors.ts";
export type { BaseImage, ContainerConfig, ImageConfigFile, ImageHistoryEntry } from "./llb/image-config.ts";
export { BUILDKIT_0_8_CAPS } from "./llb/caps.ts";
export { normalizeImageName } from "./llb/reference.ts";
export type { NormalizedReference } from "./llb/reference.ts";
