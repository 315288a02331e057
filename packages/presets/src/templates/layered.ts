// The seed's "Layered Configuration" example: createBaseAiImage, then createMlImage(base), then
// createNlpImage(ml), each returning a new Image and leaving its argument unchanged. The seed's steps, with the
// versions resolved and checked:
// - base: the seed's `nvidia/cuda:11.8-runtime-ubuntu22.04` is not a published tag (nvidia/cuda tags carry the full
//   version); the default here is `nvidia/cuda:11.8.0-base-ubuntu22.04`: the `base` flavor, because the torch
//   wheels bring their own CUDA libraries (see cudaWheelsRule). Pass `flavor: "runtime"` for the seed's flavor.
// - `apt install python3 python3-pip` + `pip3 install --upgrade pip` become a venv (`withPythonVenv`), which also
//   works on Ubuntu 24.04 (PEP 668).
// - `pip3 install torch torchvision --index-url .../cu118` gets exact pins for that index (torch 2.7.1,
//   torchvision 0.22.1 for cu118).

import type { Image } from "@chutes/image-core";
import { withPipCache } from "../blocks/pip.ts";
import { withHfCache } from "../blocks/hf-cache.ts";
import { resolveTorch } from "../resolve.ts";
import { installersOf, recordTarget, resolveFor, startImage, withDefaults } from "./options.ts";
import type { LayerOptions, TemplateOptions } from "./options.ts";

/**
 * The base layer: a CUDA image with a Python venv and the seed's environment. Defaults follow the seed: CUDA 11.8
 * on Ubuntu 22.04 (unless `torch` or `cuda` say otherwise), image `myuser/ai-base:1.0.0`.
 */
export function createBaseAiImage(options: TemplateOptions = {}): Image {
  const resolution = resolveTorch(withDefaults(options, { cuda: "11.8", ubuntu: "22.04", flavor: "base" }));
  const install = installersOf(options);
  const start = startImage(options, { name: "ai-base" }, resolution.baseImage);
  return (options.pipCache === false ? start : start.with(withPipCache()))
    .with(install.python({ resolution }))
    .with(recordTarget(resolution))
    .withEnv("PYTHONUNBUFFERED", "1")
    .withEnv("PYTHONDONTWRITEBYTECODE", "1");
}

/**
 * Adds the seed's ML libraries: numpy, pandas, scikit-learn, then torch and torchvision pinned for the base's CUDA
 * (read from its `nvidia/cuda` tag; any other base gets CPU wheels) and Python, and TORCH_HOME.
 */
export function createMlImage(baseImage: Image, options: LayerOptions = {}): Image {
  const resolution = resolveFor(baseImage, options);
  const install = installersOf(options);
  return baseImage
    .with(install.pip(["numpy", "pandas", "scikit-learn"]))
    .with(install.torch(resolution, ["torch", "torchvision"]))
    .withEnv("TORCH_HOME", "/opt/torch");
}

/** Adds the seed's NLP libraries (transformers, tokenizers, datasets; spacy, nltk) and the model cache location. */
export function createNlpImage(mlImage: Image, options: Pick<LayerOptions, "installers"> = {}): Image {
  const install = installersOf(options);
  return mlImage
    .with(install.pip(["transformers", "tokenizers", "datasets"]))
    .with(install.pip(["spacy", "nltk"]))
    .with(withHfCache({ transformersCache: "/opt/models" }));
}
