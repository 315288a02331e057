// The LLB back end of `build()`: a client-side gateway build (buildkit-gateway-proof.md). `Control.Solve` starts
// with neither a definition nor a frontend; on its ref, this back end asks the engine for its caps and the base
// images' configs, marshals the image, solves it through `LLBBridge` and ends the build with `Return`, whose
// `containerimage.config` is the image config every exporter honours, the Docker Engine's `moby` included.

import { collectContext } from "@chutes/context";
import type { ImageSpec, Stage } from "@chutes/image-core";
import type { PreparedSolve, SolveBackend, SolveBackendContext, StepCoordinates } from "../build/backend.ts";
import type { BuildKitClient } from "../client.ts";
import type { Platform } from "../control-types.ts";
import { BuildKitError } from "../errors.ts";
import { manifestSource } from "../session/source.ts";
import type { SyncSource } from "../session/source.ts";
import { GatewayBridge } from "./bridge.ts";
import { LLBError } from "./errors.ts";
import { DEFAULT_CONTEXT_NAME, filteredContextLocals } from "./locals.ts";
import { marshalLLB } from "./marshal.ts";
import type { StepRef } from "./marshal.ts";
import { resolveBaseConfigs } from "./resolve.ts";

/** `linux/amd64`, `linux/arm64/v8` as a platform. Throws `LLBError` `invalid-step` for anything else. */
export function parsePlatform(text: string): Platform {
  const [os = "", architecture = "", variant, ...rest] = text.split("/");
  if (os === "" || architecture === "" || rest.length > 0 || variant === "") {
    throw new LLBError("invalid-step", `platform "${text}" is not os/architecture[/variant], e.g. linux/amd64`);
  }
  return { os, architecture, ...(variant === undefined ? {} : { variant }) };
}

/** The engine's first worker platform (what it builds for by default). */
async function enginePlatform(client: BuildKitClient, signal: AbortSignal | undefined): Promise<Platform> {
  const workers = await client.control.listWorkers([], signal === undefined ? {} : { signal });
  const platform = workers[0]?.platforms[0];
  return platform ?? { architecture: "amd64", os: "linux" };
}

/** `spec` with only one add/copy step left (the others read the context, not the environment). */
function onlyStep(spec: ImageSpec, stageId: string, stepIndex: number): ImageSpec {
  const stages: Stage[] = spec.stages.map((stage) => ({
    ...stage,
    steps: stage.steps.filter((step, index) => (stage.id === stageId && index === stepIndex) || (step.kind !== "add" && step.kind !== "copy")),
  }));
  return { ...spec, stages };
}

async function contextLocals(context: SolveBackendContext): Promise<Record<string, SyncSource>> {
  const { spec, manifest, options } = context;
  const locals: Record<string, SyncSource> = { [DEFAULT_CONTEXT_NAME]: manifestSource(manifest) };
  // A step with `exclude` patterns reads a context of its own: its sources minus its excludes, as @chutes/context
  // decides (relative to each source, BuildKit's rule), so the engine needs no exclude support of its own.
  for (const local of filteredContextLocals(spec)) {
    const own = await collectContext({
      root: manifest.root,
      image: onlyStep(spec, local.stage, local.step),
      ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    locals[local.name] = manifestSource(own);
  }
  return locals;
}

function needsHostNetwork(spec: ImageSpec, network: string | undefined): boolean {
  return network === "host" || spec.stages.some((stage) => stage.steps.some((step) => step.kind === "run" && step.network === "host"));
}

/**
 * Prepares an LLB build for `build()`: the context locals (one filtered local per step with `exclude`), the
 * entitlements, a map from op digests back to steps, and the gateway that marshals and solves on the engine.
 */
async function prepare(context: SolveBackendContext): Promise<PreparedSolve> {
  const { spec, client, options } = context;
  const platform = options.platform === undefined ? await enginePlatform(client, options.signal) : parsePlatform(options.platform);
  const locals = await contextLocals(context);
  let steps: Readonly<Record<string, StepRef>> = {};
  return {
    locals,
    entitlements: needsHostNetwork(spec, options.network) ? ["network.host"] : [],
    stepOf: (vertex): StepCoordinates | undefined => steps[vertex.digest],
    gateway: async ({ ref, sessionId, client: engine, signal }) => {
      const bridge = new GatewayBridge(engine, ref, signal);
      try {
        const [caps, baseConfigs] = await Promise.all([bridge.llbCaps(), resolveBaseConfigs(engine, spec, { platform, signal, ref })]);
        const marshaled = marshalLLB(spec, {
          baseConfigs,
          platform,
          caps,
          sessionId,
          ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
          ...(options.network === undefined ? {} : { network: options.network }),
          ...(options.noCache === true ? { ignoreCache: true } : {}),
        });
        steps = marshaled.steps;
        const missing = marshaled.locals.filter((name) => !(name in locals));
        if (missing.length > 0) throw new BuildKitError("invalid-option", `the LLB definition reads locals the session does not serve: ${missing.join(", ")}`);
        const result = marshaled.definition.def.length === 0 ? undefined : await bridge.solve(marshaled.definition);
        await bridge.returnResult(result, { "containerimage.config": JSON.stringify(marshaled.config) });
      } catch (error) {
        // End the build on the engine with the error (Control.Solve then fails with it), yet let build() see this
        // error first, whatever the engine answers meanwhile: the Return goes out in the background, without the
        // build's signal (which build() aborts as soon as the gateway rejects). returnError never throws.
        void new GatewayBridge(engine, ref).returnError(error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
  };
}

/** The LLB back end: `build(image, { backend: llbBackend, ... })`. */
export const llbBackend: SolveBackend = Object.freeze({ name: "llb", prepare });

