// The seed's "Optimized AI/ML Images" example, createPytorchImage(modelName, version): one devel image that
// compiles flash-attn. The seed's steps, with versions resolved and checked:
// - `nvidia/cuda:11.8.0-devel-ubuntu22.04` (the seed's short tag does not exist); devel because flash-attn compiles
//   here. Lint reports the devel base + torch wheels (cudaWheelsRule): createMultiStageAiImage is the slim variant.
// - one apt step for the system packages (update, install and list cleanup together), a venv with headers, then
//   `pip install --upgrade pip setuptools wheel`.
// - torch, torchvision and torchaudio pinned for the cu118 index (torch 2.7.1), and pinned for every later install,
//   so `pip install xformers` cannot replace torch with another build; xformers comes from the same index.
// - flash-attn is compiled with TORCH_CUDA_ARCH_LIST (the target GPUs, or the torch build's list) and MAX_JOBS.
// - the seed's final cleanup ran as uid 1000 after `set_user` (apt would fail) and removed files a layer after they
//   were written (which frees nothing); here apt cleans up in its own step and pip never writes a cache to a layer,
//   so the step is gone. The seed's mkdir/chown/user/workdir steps are withHfCache and nonRootUser.

import type { Image } from "@chutes/image-core";
import { withHfCache } from "../blocks/hf-cache.ts";
import { withPipCache } from "../blocks/pip.ts";
import { nonRootUser } from "../blocks/user.ts";
import { resolveTorch } from "../resolve.ts";
import { maxJobsFor } from "./multi-stage.ts";
import { installersOf, startImage, withDefaults } from "./options.ts";
import type { TemplateOptions } from "./options.ts";

/** An image for one model: `myuser/pytorch-<modelName>:<version>`. Defaults follow the seed: CUDA 11.8, Ubuntu 22.04. */
export function createPytorchImage(modelName: string, version: string, options: TemplateOptions = {}): Image {
  const resolution = resolveTorch(withDefaults(options, { cuda: "11.8", ubuntu: "22.04", flavor: "devel" }));
  const install = installersOf(options);
  const start = startImage({ ...options, name: options.name ?? `pytorch-${modelName}`, tag: options.tag ?? version }, { name: `pytorch-${modelName}` }, resolution.baseImage);
  const image = (options.pipCache === false ? start : start.with(withPipCache()))
    // System dependencies
    .aptInstall(["build-essential", "git", "curl", "wget", "libsm6", "libxext6", "libfontconfig1", "libxrender1"])
    // Python environment
    .with(install.python({ resolution, dev: true, upgrade: ["pip", "setuptools", "wheel"] }))
    // PyTorch with CUDA
    .with(install.torch(resolution))
    // ML libraries
    .with(install.pip(["transformers[torch]", "accelerate", "datasets", "tokenizers", "optimum"]));
  // Performance libraries
  const archList = resolution.archList;
  const compiled = archList === null ? image : image.withEnv("TORCH_CUDA_ARCH_LIST", archList).withEnv("MAX_JOBS", String(maxJobsFor(archList)));
  return compiled
    .with(install.pip(["flash-attn"], { args: ["--no-build-isolation"] }))
    .with(install.pip(["xformers"], { indexUrl: resolution.wheelIndex }))
    // Environment optimization
    .withEnv("PYTHONOPTIMIZE", "2")
    .withEnv("TORCH_BACKENDS_CUDNN_BENCHMARK", "1")
    .with(withHfCache({ home: "/opt/huggingface", transformersCache: "/opt/models", owner: "1000:1000" }))
    // Non-root user
    .with(nonRootUser({ uid: 1000, gid: 1000, workdir: "/app" }));
}
