// build(image, options): validate, collect the context, open a session serving it, solve through a back end (the
// LLB back end by default, or the Dockerfile frontend), export, and close everything whatever happens.

import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import { collectContext } from "@chutes/context";
import type { ContextManifest } from "@chutes/context";
import { ValidationError } from "@chutes/image-core";
import type { BuildKitClient } from "../client.ts";
import { connectBuildKit } from "../client.ts";
import { newRef } from "../control.ts";
import type { SolveRequest } from "../control-types.ts";
import { BuildKitError } from "../errors.ts";
import type { SendTarget } from "../session/file-send.ts";
import { serveSession, sessionMethods } from "../session/server.ts";
import type { SessionServer, SessionServices } from "../session/server.ts";
import { sessionSharedKey } from "../session/shared-key.ts";
import type { PreparedSolve } from "./backend.ts";
import { llbBackend } from "../llb/backend.ts";
import { dockerfileBackend } from "./dockerfile-backend.ts";
import { describeFailure } from "./failure.ts";
import type { BuildOptions, BuildResult, ExporterOption, ImageLike } from "./options.ts";
import { pumpProgress } from "./progress-sink.ts";
import { normaliseTag } from "./tags.ts";

/**
 * Builds `image` on a BuildKit engine. Validation comes first: an invalid image throws one `ValidationError`
 * before anything connects. The context is what the image's `add`/`copy` steps reference (`.dockerignore`
 * applied), served incrementally under a stable shared key. Throws `ContextError` for context problems and
 * `BuildKitError` for everything on the engine's side: `build-failed` names the failed step, `aborted` after
 * `signal`, `engine-unreachable`, `connection-lost`... The session, and the client when `build()` connected it,
 * are closed on every path.
 */
export async function build(image: ImageLike, options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const issues = image.validate();
  if (issues.length > 0) throw new ValidationError(issues);
  const spec = image.toJSON();
  const exporter: ExporterOption = options.exporter ?? { type: "moby" };
  const tags = (options.tags ?? []).map(normaliseTag);
  if (tags.length > 0 && exporter.type !== "moby") {
    throw new BuildKitError("invalid-option", `tags name an image in the engine's store; the ${exporter.type} exporter writes files (drop the tags, or use the moby exporter)`);
  }
  // Callers from JavaScript are not held to the type.
  const frontend: string = options.frontend ?? "llb";
  if (frontend !== "llb" && frontend !== "dockerfile") {
    throw new BuildKitError("invalid-option", `unknown frontend ${JSON.stringify(frontend)}; use "llb" (the default) or "dockerfile", or pass a backend`);
  }
  const signal = options.signal;
  throwIfAborted(signal);

  const manifest = await abortable(signal, () =>
    collectContext({
      root: options.contextDir,
      image: spec,
      ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
      ...(signal === undefined ? {} : { signal }),
    }),
  );

  const engine = options.engine;
  const owned = typeof engine !== "object";
  const client: BuildKitClient =
    typeof engine === "object"
      ? engine
      : await abortable(signal, () => connectBuildKit({ ...(engine === undefined ? {} : { address: engine }), ...(signal === undefined ? {} : { signal }) }));
  let server: SessionServer | undefined;
  let prepared: PreparedSolve | undefined;
  try {
    const backend = options.backend ?? (frontend === "dockerfile" ? dockerfileBackend : llbBackend);
    prepared = await abortable(signal, () => backend.prepare({ image, spec, client, manifest, options }));
    const session = await openSession(client, manifest, prepared, exporter, options);
    server = session.server;
    const ref = newRef();
    const request = solveRequest(ref, session.id, prepared, exporter, tags, options);
    const solved = await solve(client, request, prepared, options);
    const counters = server.counters();
    const response = solved.exporterResponse;
    const digest = response["containerimage.digest"] ?? "";
    const imageId = exporter.type === "moby" ? (response["containerimage.config.digest"] ?? digest) : undefined;
    return {
      ...(imageId === undefined || imageId === "" ? {} : { imageId }),
      digest,
      tags,
      exporterResponse: response,
      counters,
      contextWarnings: manifest.warnings,
      durationMs: performance.now() - started,
      ref,
    };
  } catch (error) {
    if (error instanceof BuildKitError) {
      const stepOf = prepared?.stepOf?.bind(prepared);
      throw describeFailure(error, { spec, image, stepOf, sessionErrors: server?.errors ?? [], contextWarnings: manifest.warnings });
    }
    throw error;
  } finally {
    await server?.close();
    if (owned) await client.close();
  }
}

async function openSession(
  client: BuildKitClient,
  manifest: ContextManifest,
  prepared: PreparedSolve,
  exporter: ExporterOption,
  options: BuildOptions,
): Promise<{ readonly server: SessionServer; readonly id: string }> {
  const send: SendTarget | undefined =
    exporter.type === "local" ? { type: "local", dir: exporter.dir } : exporter.type === "tar" ? { type: "tar", output: exporter.file } : undefined;
  const services: SessionServices = {
    sync: prepared.locals,
    ...(send === undefined ? {} : { send }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
  };
  const sessionId = randomUUID();
  const duplex = await client.openSessionStream({
    sessionId,
    name: basename(manifest.root) || "context",
    sharedKey: sessionSharedKey(manifest.root),
    methods: sessionMethods(services),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { server: serveSession(duplex, services), id: sessionId };
}

function solveRequest(
  ref: string,
  sessionId: string,
  prepared: PreparedSolve,
  exporter: ExporterOption,
  tags: readonly string[],
  options: BuildOptions,
): SolveRequest {
  const entitlements = new Set(prepared.entitlements ?? []);
  if (options.network === "host") entitlements.add("network.host");
  const exporterAttrs = { ...prepared.exporterAttrs, ...(tags.length === 0 ? {} : { name: tags.join(",") }) };
  return {
    ref,
    session: sessionId,
    ...(prepared.frontend === undefined ? {} : { frontend: prepared.frontend }),
    ...(prepared.frontendAttrs === undefined ? {} : { frontendAttrs: prepared.frontendAttrs }),
    ...(prepared.definition === undefined ? {} : { definition: prepared.definition }),
    exporter: { type: exporter.type, attrs: exporterAttrs },
    ...(entitlements.size === 0 ? {} : { entitlements: [...entitlements].sort() }),
  };
}

/** Runs the solve (and a gateway back end's client side) and pumps progress. A gateway's failure wins. */
async function solve(
  client: BuildKitClient,
  request: SolveRequest,
  prepared: PreparedSolve,
  options: BuildOptions,
): Promise<{ exporterResponse: Readonly<Record<string, string>> }> {
  const internal = new AbortController();
  const signal = options.signal === undefined ? internal.signal : AbortSignal.any([options.signal, internal.signal]);
  const job = client.startSolve(request, { signal, ...(options.logLines === undefined ? {} : { logLines: options.logLines }) });
  const progress = pumpProgress(job.events, options.progress);
  progress.catch(() => undefined);

  let gatewayFailure: { error: unknown } | undefined;
  const gatewayEnd = new AbortController();
  const gateway =
    prepared.gateway !== undefined && prepared.frontend === undefined && prepared.definition === undefined
      ? prepared.gateway({ ref: job.ref, sessionId: request.session ?? "", client, signal: AbortSignal.any([signal, gatewayEnd.signal]) }).catch((error: unknown) => {
          gatewayFailure = { error };
          internal.abort(error);
        })
      : Promise.resolve();

  try {
    const result = await job.result;
    await progress;
    return result;
  } catch (error) {
    await progress.catch(() => undefined);
    // The gateway's own error names the step best; give it a moment to settle before choosing which to throw.
    await Promise.race([gateway, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    if (gatewayFailure !== undefined) throw gatewayFailure.error;
    throw error;
  } finally {
    gatewayEnd.abort();
    await gateway;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new BuildKitError("aborted", "the build was aborted before it started", { cause: signal.reason });
}

/** Runs `task`; if the signal fired meanwhile, the failure is an `aborted` BuildKitError whatever `task` threw. */
async function abortable<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (signal?.aborted === true && !(error instanceof BuildKitError && error.code === "aborted")) {
      throw new BuildKitError("aborted", "the build was aborted", { cause: error });
    }
    throw error;
  }
}
