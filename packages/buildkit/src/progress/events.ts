// Typed progress events: what a build shows while it runs (DESIGN.md section 7). Times are milliseconds since
// the Unix epoch, as the engine stamped them (never the local clock), so a recorded stream converts and renders
// the same way every time.

/** A build step as progress shows it. */
export interface VertexRef {
  /** The vertex digest (for LLB ops, the op digest). */
  readonly digest: string;
  /** 1, 2, 3... in order of first appearance in the stream, as buildx numbers steps (`#3`). */
  readonly index: number;
  /** The name the engine gave it (`[2/3] RUN make`, `exporting to image`, an op's `llb.customname`). */
  readonly name: string;
}

export interface VertexStartedEvent {
  readonly kind: "vertex-started";
  readonly vertex: VertexRef;
  /** Digests of the vertices it depends on. */
  readonly inputs: readonly string[];
  readonly time: number;
}

export interface VertexCachedEvent {
  readonly kind: "vertex-cached";
  readonly vertex: VertexRef;
  readonly time: number | undefined;
}

export interface VertexCompletedEvent {
  readonly kind: "vertex-completed";
  readonly vertex: VertexRef;
  readonly time: number;
  /** completed − started, when both are known. */
  readonly durationMs: number | undefined;
}

export interface VertexErroredEvent {
  readonly kind: "vertex-errored";
  readonly vertex: VertexRef;
  /** The engine's error text for the vertex. */
  readonly error: string;
  /** The error is a cancellation (`context canceled`), e.g. after an abort. */
  readonly canceled: boolean;
  readonly time: number | undefined;
  readonly durationMs: number | undefined;
}

/** A sub-task of a vertex with a counter: `exporting layers`, `writing image sha256:…`, a transfer. */
export interface StatusEvent {
  readonly kind: "status";
  readonly vertex: VertexRef;
  readonly id: string;
  readonly name: string;
  readonly current: number;
  /** 0 when unknown. */
  readonly total: number;
  readonly completed: boolean;
  readonly started: number | undefined;
  readonly time: number | undefined;
}

/** Output of a vertex: an arbitrary chunk, not line-aligned. */
export interface LogEvent {
  readonly kind: "log";
  readonly vertex: VertexRef;
  /** 1 stdout, 2 stderr. */
  readonly stream: 1 | 2;
  /** The chunk decoded as UTF-8 (a character cut between chunks is joined). */
  readonly data: string;
  readonly time: number | undefined;
}

export interface WarningEvent {
  readonly kind: "warning";
  readonly vertex: VertexRef;
  readonly level: number;
  readonly message: string;
  readonly detail: readonly string[];
  readonly url: string | undefined;
}

export type ProgressEvent =
  | VertexStartedEvent
  | VertexCachedEvent
  | VertexCompletedEvent
  | VertexErroredEvent
  | StatusEvent
  | LogEvent
  | WarningEvent;

export type ProgressEventKind = ProgressEvent["kind"];
