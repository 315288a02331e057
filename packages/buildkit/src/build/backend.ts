// The seam between `build()` and the ways an image becomes a solve: the Dockerfile frontend (`dockerfileBackend`,
// the default) and the direct LLB back end. `build()` does everything around a back end: validation, the context
// manifest, the session (FileSync of the back end's locals, FileSend for exports, secrets), the exporter, progress,
// errors, cleanup. A back end only says what to solve.

import type { ContextManifest } from "@chutes/context";
import type { ImageSpec } from "@chutes/image-core";
import type { BuildKitClient } from "../client.ts";
import type { LLBDefinition } from "../control-types.ts";
import type { SyncSource } from "../session/source.ts";
import type { BuildOptions, ImageLike } from "./options.ts";

/** What a back end gets to prepare a solve. */
export interface SolveBackendContext {
  /** The image as the caller gave it (already validated). */
  readonly image: ImageLike;
  /** Its IR (`image.toJSON()`). */
  readonly spec: ImageSpec;
  /** The engine; the back end may ask it things (ResolveImageConfig, Ping) before the solve. */
  readonly client: BuildKitClient;
  /** The build context (`@chutes/context`'s `collectContext({ root: contextDir, image })`). */
  readonly manifest: ContextManifest;
  /** The caller's options, as given to `build()`. */
  readonly options: BuildOptions;
}

/** Where a failed vertex comes from, in IR coordinates. */
export interface StepCoordinates {
  /** The stage id. */
  readonly stage: string;
  /** The step's index within the stage, counted from 0. */
  readonly step: number;
}

/** What to solve, as a back end prepared it. */
export interface PreparedSolve {
  /** A frontend (`dockerfile.v0`), with its attributes. */
  readonly frontend?: string;
  readonly frontendAttrs?: Readonly<Record<string, string>>;
  /** Or a marshaled LLB graph. */
  readonly definition?: LLBDefinition;
  /**
   * Exporter attributes to add to those `build()` sets (`name` for tagged images). Engines that read
   * `containerimage.config` from them (standalone buildkitd's `image`, `oci`, `docker`) take an LLB image's config
   * here; the Docker Engine's `moby` exporter does not (see `gateway`).
   */
  readonly exporterAttrs?: Readonly<Record<string, string>>;
  /** The FileSync directories the solve reads, by local name (`context`, `dockerfile`). */
  readonly locals: Readonly<Record<string, SyncSource>>;
  /** Entitlements the solve needs beyond those `build()` derives from `options.network` (`network.host`). */
  readonly entitlements?: readonly string[];
  /**
   * Maps a progress vertex back to the image step that made it, so a failure names the step. Return `undefined`
   * for vertices that are no step (`load build context`, `exporting to image`, the base image).
   */
  stepOf?(vertex: { readonly digest: string; readonly name: string }): StepCoordinates | undefined;
  /**
   * A client-side gateway build: set neither `frontend` nor `definition`, and `build()` starts `Control.Solve`
   * with neither (the engine then waits for this client to drive the build) and calls `gateway` alongside, with
   * the build's ref and the id of the session serving its locals (for `local.session`). It must solve through `LLBBridge` (gRPC metadata `buildkit-controlapi-buildid: ref`) and
   * end with `LLBBridge.Return`, which is how an LLB image's config reaches the Docker Engine's `moby` exporter
   * (buildkit-wire.md section 5). Its rejection fails the build; `signal` fires when the build ends or is
   * cancelled.
   */
  gateway?(run: { readonly ref: string; readonly sessionId: string; readonly client: BuildKitClient; readonly signal: AbortSignal }): Promise<void>;
}

/** A way to turn an image into a solve: the Dockerfile frontend (default) or LLB. */
export interface SolveBackend {
  /** Shown in errors (`dockerfile`, `llb`). */
  readonly name: string;
  prepare(context: SolveBackendContext): Promise<PreparedSolve>;
}
