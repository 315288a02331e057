// The seed images that build offline here (seed-build.integration.test.ts sorts them): the remote bases mapped to the
// local Debian image the engines import, the list of those that build, and the context their add/copy steps read.

import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Image } from "@chutes/image-core";
import type { ImageSpec } from "@chutes/image-core";

export const DEBIAN = "local/debian:bookworm-minbase";

/** Every remote base of the seed, and what it is built from here. */
export const BASE_MAP: Readonly<Record<string, string>> = {
  "parachutes/python:3.12": DEBIAN,
  "parachutes/base-python:3.11.9": DEBIAN,
  "python:3.11": DEBIAN,
  "python:3.11-slim": DEBIAN,
  "python:3.11-bullseye": DEBIAN,
  "python:3.11-alpine": DEBIAN,
  "ubuntu:20.04": DEBIAN,
  "ubuntu:22.04": DEBIAN,
  "nvidia/cuda:11.8-runtime": DEBIAN,
  "nvidia/cuda:11.8-devel-ubuntu22.04": DEBIAN,
  "nvidia/cuda:11.8-runtime-ubuntu22.04": DEBIAN,
  "nvidia/cuda:12.1-runtime-ubuntu22.04": DEBIAN,
  "pytorch/pytorch:2.0.1-cuda11.7-cudnn8-runtime": DEBIAN,
  "tensorflow/tensorflow:2.13.0-gpu": DEBIAN,
};

/** Built, and their config checked. */
export const BUILT = [
  "01-class-definition/image",
  "02-username/image",
  "03-name/image",
  "04-tag/defaultTag",
  "04-tag/versionTag",
  "04-tag/devTag",
  "04-tag/featureBranchTag",
  "05-readme/image",
  "07-from-base/pythonSlim",
  "07-from-base/pythonBullseye",
  "07-from-base/ubuntu2204",
  "07-from-base/ubuntu2004",
  "07-from-base/cudaDevel",
  "07-from-base/cudaRuntime",
  "07-from-base/tensorflowGpu",
  "07-from-base/pytorchRuntime",
  "07-from-base/chutesBasePython",
  "12-add/singleFile",
  "12-add/directory",
  "12-add/differentName",
  "12-add/multipleFiles",
  "15-with-env/basicEnvironment",
  "15-with-env/gpuConfiguration",
  "15-with-env/applicationConfiguration",
  "15-with-env/modelConfiguration",
  "16-common-environment-variables/image",
  "18-set-workdir/workingDirectory",
  "20-set-user/nonRootUser",
  "20-set-user/existingUser",
  "20-set-user/switchUsers",
  "22-with-entrypoint/pythonEntrypoint",
  "22-with-entrypoint/shellScriptEntrypoint",
  "22-with-entrypoint/complexEntrypoint",
  "23-multi-stage/productionStage",
  "28-testing-images/environmentTestImage",
  "28-testing-images/securityTestImage",
  "29-non-root-user/image",
  "31-keep-images-updated/image",
  "33-combine-run-commands/image",
  "35-descriptive-tags/image",
  "36-comprehensive-labels/image",
  "37-document-complex-builds/image",
] as const;

/** The image with its remote bases replaced as BASE_MAP says; throws on a base BASE_MAP does not list. */
export function mapBases(image: Image): Image {
  const spec = image.toJSON();
  const stages = spec.stages.map((stage) => {
    const base = stage.base;
    if (base === "scratch" || "stage" in base || base.image === DEBIAN) return stage;
    const to = BASE_MAP[base.image];
    if (to === undefined) throw new Error(`BASE_MAP has no entry for ${base.image}`);
    return { ...stage, base: { image: to } };
  });
  const mapped: ImageSpec = { ...spec, stages };
  return Image.fromJSON(mapped);
}

/** The files the seed's add/copy steps name, in a fresh context directory. */
export async function seedContext(root: string): Promise<string> {
  const files: Readonly<Record<string, string>> = {
    "requirements.txt": "requests==2.32.3\n",
    "requirements-minimal.txt": "requests==2.32.3\n",
    "setup.py": "from setuptools import setup\nsetup(name='myapp')\n",
    "config.yaml": "mode: production\n",
    "entrypoint.sh": '#!/bin/sh\necho "entrypoint ran as $(id -u) with: $*"\n',
    "src/__init__.py": "",
    "src/main.py": "print('hello from main')\n",
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await chmod(join(root, "entrypoint.sh"), 0o644);
  return root;
}
