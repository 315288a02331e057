// The default back end: BuildKit's built-in `dockerfile.v0` frontend, given the Dockerfile that `@chutes/dockerfile`
// rendered (this package never imports the renderer: DESIGN.md section 2) as the local `dockerfile`, and the
// image's context manifest as the local `context`.

import type { ImageSpec } from "@chutes/image-core";
import { BuildKitError } from "../errors.ts";
import type { ManifestLike } from "../session/source.ts";
import { manifestSource, memorySource } from "../session/source.ts";
import type { PreparedSolve, SolveBackend, SolveBackendContext } from "./backend.ts";
import { dockerfileStepMapper } from "./dockerfile-steps.ts";
import type { BuildOptions } from "./options.ts";

/** The frontend's name in `SolveRequest.frontend`. */
export const DOCKERFILE_FRONTEND = "dockerfile.v0";

/** What the Dockerfile frontend needs. */
export interface DockerfileSolveInput {
  readonly spec: ImageSpec;
  readonly manifest: ManifestLike;
  /** The rendered Dockerfile. */
  readonly dockerfile: string;
  readonly options: Pick<BuildOptions, "buildArgs" | "network" | "noCache" | "platform">;
}

/**
 * The frontend-specific part of a Dockerfile build: frontend attributes (`filename`, `build-arg:*`,
 * `force-network-mode`, `no-cache`, `platform`), the two locals, entitlements, and the map from vertex names
 * back to IR steps.
 */
export function prepareDockerfileSolve(input: DockerfileSolveInput): PreparedSolve {
  const { spec, options } = input;
  const attrs: Record<string, string> = { filename: "Dockerfile" };
  for (const [key, value] of Object.entries(options.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    attrs[`build-arg:${key}`] = value;
  }
  const network = options.network ?? "default";
  if (network !== "default") attrs["force-network-mode"] = network;
  if (options.noCache === true) attrs["no-cache"] = "";
  if (options.platform !== undefined) attrs.platform = options.platform;
  const hostSteps = spec.stages.some((stage) => stage.steps.some((step) => step.kind === "run" && step.network === "host"));
  const stepOf = dockerfileStepMapper(spec);
  return {
    frontend: DOCKERFILE_FRONTEND,
    frontendAttrs: attrs,
    locals: { context: manifestSource(input.manifest), dockerfile: memorySource({ Dockerfile: input.dockerfile }) },
    entitlements: network === "host" || hostSteps ? ["network.host"] : [],
    stepOf: (vertex) => stepOf(vertex),
  };
}

/** The Dockerfile frontend as a `SolveBackend`: the default of `build()`. Needs `options.dockerfile`. */
export const dockerfileBackend: SolveBackend = Object.freeze({
  name: "dockerfile",
  prepare: ({ spec, manifest, options }: SolveBackendContext): Promise<PreparedSolve> => {
    const dockerfile = options.dockerfile;
    if (dockerfile === undefined || dockerfile === "") {
      return Promise.reject(
        new BuildKitError(
          "invalid-option",
          "the Dockerfile frontend needs the rendered Dockerfile: pass `dockerfile: renderDockerfile(image)` (from @chutes/dockerfile) to build()",
        ),
      );
    }
    const envSecret = secretEnvStep(spec);
    if (envSecret !== undefined && !/^#\s*syntax\s*=/im.test(dockerfile.split("\n", 1)[0] ?? "")) {
      return Promise.reject(
        new BuildKitError(
          "invalid-option",
          `stage "${envSecret.stage}", step ${envSecret.step} (run) exposes secret "${envSecret.id}" as the variable ${envSecret.env}; ` +
            "the Dockerfile syntax for that (RUN --mount=type=secret,env=...) needs Dockerfile frontend 1.10 or newer, which engines " +
            "before BuildKit 0.16 (Docker 20.10 and 26 among them) do not have built in. Build with the LLB back end (the default; BuildKit 0.13+), " +
            'or render with `syntax: "docker/dockerfile:1.10"` on an engine that can pull it.',
        ),
      );
    }
    return Promise.resolve(prepareDockerfileSolve({ spec, manifest, dockerfile, options }));
  },
});

/** The first run step with a secret exposed as an environment variable. */
function secretEnvStep(spec: ImageSpec): { stage: string; step: number; id: string; env: string } | undefined {
  for (const stage of spec.stages) {
    for (const [index, step] of stage.steps.entries()) {
      if (step.kind !== "run") continue;
      for (const mount of step.mounts ?? []) {
        if (mount.type === "secret" && mount.env !== undefined) return { stage: stage.id, step: index, id: mount.id, env: mount.env };
      }
    }
  }
  return undefined;
}
