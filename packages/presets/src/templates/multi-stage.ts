// createMultiStageAiImage: compile CUDA extension wheels (flash-attn style) in a `devel` builder stage, and ship a
// slim runtime stage on the `base` flavor that receives only the wheels. The builder's TORCH_CUDA_ARCH_LIST and
// MAX_JOBS come from the declared target GPUs, so nvcc compiles for exactly those GPUs.

import type { Image } from "@chutes/image-core";
import { withHfCache } from "../blocks/hf-cache.ts";
import { runPip, shellWord, withPipCache } from "../blocks/pip.ts";
import { nonRootUser } from "../blocks/user.ts";
import { resolveTorch } from "../resolve.ts";
import { installersOf, pick, startImage } from "./options.ts";
import type { TemplateOptions } from "./options.ts";

/** A wheel to compile in the builder: a pip requirement (`flash-attn==2.8.3`), or with options. */
export type WheelSpec = string | { readonly requirement: string; readonly buildIsolation?: boolean };

/** Options of `createMultiStageAiImage`. */
export interface MultiStageOptions extends TemplateOptions {
  /** Wheels to compile in the builder (built without build isolation against the pinned torch, by default). */
  readonly wheels: readonly WheelSpec[];
  /** Packages the runtime stage installs from the index after the wheels. */
  readonly packages?: readonly string[];
  /** nvcc jobs in parallel. Default: `maxJobsFor(TORCH_CUDA_ARCH_LIST)`. */
  readonly maxJobs?: number;
  /** The runtime stage's flavor. Default `base`. */
  readonly runtimeFlavor?: "base" | "runtime" | "cudnn-runtime";
  /** `uid:gid` of the runtime user; the app directory is `/app`. Default `1000:1000`. */
  readonly user?: { readonly uid: number; readonly gid?: number };
}

/**
 * Parallel nvcc jobs for an arch list: each job compiles every listed architecture, so memory per job grows with
 * the list; keep about eight architecture-compilations in flight, between 1 and 4 jobs.
 */
export function maxJobsFor(archList: string): number {
  const count = Math.max(1, archList.split(";").filter((arch) => arch !== "").length);
  return Math.min(4, Math.max(1, Math.floor(8 / count)));
}

/** Where the builder leaves the wheels, and where the runtime stage receives them. */
export const WHEELS_DIR = "/wheels";

/**
 * Two stages: `<name>-builder` (nvidia/cuda devel, torch, build tools, `pip wheel` into /wheels) and `<name>` (the
 * base flavor of the same CUDA and Ubuntu, the same Python and torch pins, the wheels installed from /wheels, a
 * non-root user). Throws a `ValidationError` when the request cannot be resolved.
 */
export function createMultiStageAiImage(options: MultiStageOptions): Image {
  const name = options.name ?? "ai-app";
  const request = pick(options);
  const devel = resolveTorch({ ...request, flavor: "devel" });
  const fixed = { torch: devel.pins.torch, cuda: devel.index, python: devel.python, ubuntu: devel.ubuntu, ...(options.gpus === undefined ? {} : { gpus: options.gpus }) };
  const runtime = resolveTorch({ ...fixed, flavor: options.runtimeFlavor ?? "base" });
  const install = installersOf(options);
  const cache = options.pipCache !== false;
  const archList = devel.archList ?? "";
  const maxJobs = options.maxJobs ?? maxJobsFor(archList);

  const builderStart = startImage({ ...options, name: `${name}-builder`, tag: options.tag ?? "1.0.0" }, { name: `${name}-builder` }, devel.baseImage);
  let builder = (cache ? builderStart.with(withPipCache()) : builderStart)
    .aptInstall(["build-essential", "git"])
    .with(install.python({ resolution: devel, dev: true, upgrade: ["pip", "setuptools", "wheel"] }))
    .with(install.torch(devel))
    .with(install.pip(["ninja", "packaging", "psutil"]))
    .withEnv("TORCH_CUDA_ARCH_LIST", archList)
    .withEnv("MAX_JOBS", String(maxJobs));
  for (const wheel of options.wheels) {
    const requirement = typeof wheel === "string" ? wheel : wheel.requirement;
    const isolation = typeof wheel === "string" ? false : (wheel.buildIsolation ?? false);
    builder = runPip(builder, "wheel", ["--no-deps", ...(isolation ? [] : ["--no-build-isolation"]), `--wheel-dir ${WHEELS_DIR}`, shellWord(requirement)]);
  }

  const uid = options.user?.uid ?? 1000;
  const gid = options.user?.gid ?? uid;
  const start = startImage({ ...options, name }, { name }, runtime.baseImage);
  let image = (cache ? start.with(withPipCache()) : start)
    .with(install.python({ resolution: runtime }))
    .with(install.torch(runtime))
    .copyFrom(builder, WHEELS_DIR, WHEELS_DIR);
  image = runPip(image, "install", [`${WHEELS_DIR}/*.whl`]);
  if (options.packages !== undefined && options.packages.length > 0) image = image.with(install.pip(options.packages));
  return image
    .withEnv("PYTHONUNBUFFERED", "1")
    .with(withHfCache({ owner: `${uid}:${gid}` }))
    .with(nonRootUser({ uid, gid, workdir: "/app" }));
}
