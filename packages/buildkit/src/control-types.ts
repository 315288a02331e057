// The public, plain-data face of the Control API: our own types, never the generated ones (STYLE.md item 10).
// Timestamps are milliseconds since the Unix epoch (with the nanoseconds as the fraction); int64 values are
// numbers.

/** Metadata of one op in an LLB definition, keyed by the op's digest. */
export interface OpMetadataInit {
  readonly ignoreCache?: boolean;
  /** `llb.customname` is the name shown in progress. */
  readonly description?: Readonly<Record<string, string>>;
  readonly exportCache?: boolean;
  /** The LLB caps the op uses; the engine fails fast on caps it does not know. */
  readonly caps?: Readonly<Record<string, boolean>>;
}

/** A marshaled LLB graph: every op's bytes (the terminal op last) and their metadata by digest. */
export interface LLBDefinition {
  readonly def: readonly Uint8Array[];
  readonly metadata?: Readonly<Record<string, OpMetadataInit>>;
}

export interface ExporterSpec {
  /** `moby` (the Docker Engine's image store), `image`, `local`, `tar`, `oci`, `docker`. */
  readonly type: string;
  /** e.g. `{ name: "docker.io/me/app:1" }` */
  readonly attrs?: Readonly<Record<string, string>>;
}

export interface CacheEntry {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export interface SolveRequest {
  /** A unique id for the build: the Status key. Generated when absent. */
  readonly ref?: string;
  /** The graph to build. Send a definition or a frontend; neither means a client-side gateway build. */
  readonly definition?: LLBDefinition;
  /** e.g. `dockerfile.v0` */
  readonly frontend?: string;
  readonly frontendAttrs?: Readonly<Record<string, string>>;
  readonly frontendInputs?: Readonly<Record<string, LLBDefinition>>;
  readonly exporter?: ExporterSpec;
  /** The session id (see `openSessionStream`). */
  readonly session?: string;
  /** `network.host`, `security.insecure` */
  readonly entitlements?: readonly string[];
  readonly cacheImports?: readonly CacheEntry[];
  readonly cacheExports?: readonly CacheEntry[];
}

export interface SolveResult {
  readonly ref: string;
  /** What the exporter reported, e.g. `containerimage.digest` (the image ID with `moby`). */
  readonly exporterResponse: Readonly<Record<string, string>>;
}

/** A vertex as the engine last described it. */
export interface RawVertex {
  readonly digest: string;
  readonly inputs: readonly string[];
  readonly name: string;
  readonly cached: boolean;
  readonly started: number | undefined;
  readonly completed: number | undefined;
  /** "" when the vertex did not fail. */
  readonly error: string;
}

export interface RawVertexStatus {
  readonly id: string;
  readonly vertex: string;
  readonly name: string;
  readonly current: number;
  readonly total: number;
  readonly timestamp: number | undefined;
  readonly started: number | undefined;
  readonly completed: number | undefined;
}

export interface RawVertexLog {
  readonly vertex: string;
  readonly timestamp: number | undefined;
  /** 1 stdout, 2 stderr */
  readonly stream: number;
  /** An arbitrary chunk: not line-aligned, possibly cut inside a UTF-8 sequence. */
  readonly data: Uint8Array;
}

export interface RawVertexWarning {
  readonly vertex: string;
  readonly level: number;
  readonly short: string;
  readonly detail: readonly string[];
  readonly url: string;
}

/** One message of the `Control.Status` stream, unprocessed. */
export interface RawStatusResponse {
  readonly vertexes: readonly RawVertex[];
  readonly statuses: readonly RawVertexStatus[];
  readonly logs: readonly RawVertexLog[];
  readonly warnings: readonly RawVertexWarning[];
}

export interface Platform {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
}

export interface WorkerInfo {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly platforms: readonly Platform[];
}

export interface UsageRecord {
  readonly id: string;
  readonly mutable: boolean;
  readonly inUse: boolean;
  readonly size: number;
  readonly parent: string;
  readonly createdAt: number | undefined;
  readonly lastUsedAt: number | undefined;
  readonly usageCount: number;
  readonly description: string;
  /** `regular`, `internal`, `frontend`, `source.local`, `source.git.checkout`, `exec.cachemount` */
  readonly recordType: string;
  readonly shared: boolean;
}

export interface PruneOptions {
  /** Filters such as `id==<id>`; several are OR-ed. */
  readonly filters?: readonly string[];
  /** Prune records in use by nothing, including those kept by the GC policy. */
  readonly all?: boolean;
  /** Keep records used within this many milliseconds. */
  readonly keepDurationMs?: number;
  /** Keep this many bytes of cache. */
  readonly keepBytes?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}
