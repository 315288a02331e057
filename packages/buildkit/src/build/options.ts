// What `build()` takes and returns.

import type { ContextWarning } from "@chutes/context";
import type { ImageSpec, Issue, SourceLocation } from "@chutes/image-core";
import type { BuildKitClient } from "../client.ts";
import type { ProgressEvent } from "../progress/events.ts";
import type { ProgressMode } from "../progress/render.ts";
import type { ProgressOutput } from "../progress/renderer.ts";
import type { SessionCounters } from "../session/counters.ts";
import type { SolveBackend } from "./backend.ts";

/**
 * What `build()` needs from an image: `@chutes/image-core`'s `Image` fits (matched structurally, so a definition
 * that loaded its own copy of image-core works too).
 */
export interface ImageLike {
  toJSON(): ImageSpec;
  validate(): readonly Issue[];
  /**
   * The builder method that made a step and where it was called, when the image knows (image-core does not expose
   * this yet; `build()` uses it as soon as it does, to name the call site of a failed step).
   */
  originOf?(stage: string, step: number): { readonly method: string; readonly location?: SourceLocation } | undefined;
}

/** Where the image goes. */
export type ExporterOption =
  /** The Docker Engine's image store, tagged with `tags` (none: an untagged image, known by its id). */
  | { readonly type: "moby" }
  /** The image's file tree, written under `dir` through the session (FileSend). */
  | { readonly type: "local"; readonly dir: string }
  /** The image's file tree as one tar file, through the session (FileSend). */
  | { readonly type: "tar"; readonly file: string };

/** A renderer mode writing to `process.stderr`, a mode and an output, or a callback per event. */
export type ProgressOption =
  | ProgressMode
  | { readonly mode: ProgressMode; readonly output: ProgressOutput }
  | ((event: ProgressEvent) => void);

/** The network of RUN steps: the engine's default (`default`), none, or the host's (entitlement `network.host`). */
export type BuildNetwork = "default" | "none" | "host";

export interface BuildOptions {
  /** A client from `connectBuildKit` (left open), or an address (connected and closed by `build()`); default: resolution order. */
  readonly engine?: BuildKitClient | string;
  /** The context directory: what the image's `add`/`copy` steps read, `.dockerignore` applied. */
  readonly contextDir: string;
  /**
   * `llb` (default): the IR marshaled to LLB and solved through the client-side gateway. `dockerfile`: BuildKit's
   * `dockerfile.v0` with the rendered text (`dockerfile` option). Ignored when `backend` is given.
   */
  readonly frontend?: "llb" | "dockerfile";
  /** The image rendered by `@chutes/dockerfile` (`renderDockerfile(image)`): the Dockerfile frontend needs it. */
  readonly dockerfile?: string;
  /** Replaces the built-in back ends. */
  readonly backend?: SolveBackend;
  /** Image names for the `moby` exporter: `me/app:1` becomes `docker.io/me/app:1`, `app` becomes `docker.io/library/app:latest`. */
  readonly tags?: readonly string[];
  /** Default `{ type: "moby" }`. */
  readonly exporter?: ExporterOption;
  /** Progress: none by default. */
  readonly progress?: ProgressOption;
  /** Cancels the build on the engine; `build()` then rejects with an `aborted` BuildKitError. */
  readonly signal?: AbortSignal;
  /**
   * The network of every RUN step. `default` (the default) leaves it to the engine, as `docker build` does; an
   * engine started with `--bridge=none` (this project's) then fails RUN steps, so pass `host` or `none` there.
   * `host` asks for the `network.host` entitlement.
   */
  readonly network?: BuildNetwork;
  /** Secrets for `RUN --mount=type=secret,id=<id>`, served through the session; never logged or stored. */
  readonly secrets?: Readonly<Record<string, string | Uint8Array>>;
  /** Values of the image's `arg` steps (`--build-arg`). */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Build every step again, ignoring the cache. */
  readonly noCache?: boolean;
  /** Target platform, e.g. `linux/amd64`. */
  readonly platform?: string;
  /** How many of a failed step's last output lines its error carries. Default 20. */
  readonly logLines?: number;
}

export interface BuildResult {
  /** The image id in the engine's store (`moby` exporter). */
  readonly imageId?: string;
  /** `containerimage.digest` as the exporter reported it ("" when it reported none, e.g. `local`). */
  readonly digest: string;
  /** The normalised names the image was tagged with (`moby`). */
  readonly tags: readonly string[];
  /** Everything the exporter reported. */
  readonly exporterResponse: Readonly<Record<string, string>>;
  /** What the session transferred: files and bytes synced per local (`context`, `dockerfile`), exports received. */
  readonly counters: SessionCounters;
  /** What `@chutes/context` warned about while collecting the context (`source-not-found`, `source-ignored`...). */
  readonly contextWarnings: readonly ContextWarning[];
  /** Wall time of the whole build, from validation to the export's end. */
  readonly durationMs: number;
  /** The build ref (the Status key). */
  readonly ref: string;
}
