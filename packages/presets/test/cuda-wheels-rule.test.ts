import { Image } from "@chutes/image-core";
import type { LintRule } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { cudaWheelsRule } from "../src/index.ts";

const on = (base: string): Image => new Image("me", "app", "1.0.0").fromBase(base);
const check = (image: Image) => cudaWheelsRule.check(image.toJSON());

describe("cudaWheelsRule", () => {
  it("is a LintRule with a stable id and warning severity", () => {
    const rule: LintRule = cudaWheelsRule;
    expect(rule.id).toBe("cuda-runtime-with-pip-wheels");
    expect(rule.severity).toBe("warning");
    expect(Object.isFrozen(rule)).toBe(true);
  });

  it("flags the seed's runtime base + torch wheels, with the base flavor as the fix", () => {
    const image = on("nvidia/cuda:11.8.0-runtime-ubuntu22.04").runCommand("pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu118");
    expect(check(image)).toEqual([
      {
        rule: "cuda-runtime-with-pip-wheels",
        severity: "warning",
        stage: "app",
        step: 0,
        message:
          "The image is based on nvidia/cuda:11.8.0-runtime-ubuntu22.04, which has the CUDA runtime libraries (cuBLAS, cuFFT, cuSPARSE, NCCL ...), and this step pip-installs torch, torchvision, whose Linux CUDA wheels bring their own copy of those libraries (the nvidia-* packages): the image carries CUDA twice (gigabytes), and which copy a process loads depends on the library search path.",
        fix: 'start from the base flavor, which has only the CUDA runtime entry point: .fromBase("nvidia/cuda:11.8.0-base-ubuntu22.04"), or .with(cudaBase({ cuda: "11.8", flavor: "base" })).',
      },
    ]);
  });

  it.each([
    ["pip install torch==2.7.1", ["torch"]],
    ["python3 -m pip install -U 'torch>=2' numpy", ["torch"]],
    ["uv pip install --system nvidia-cudnn-cu12==9.1.0.70", ["nvidia-cudnn-cu12"]],
    ["apt-get update && PIP_NO_CACHE_DIR=1 pip install torchaudio", ["torchaudio"]],
    ["sh -c 'pip install torch'", ["torch"]],
  ])("finds the wheels in %j", (command, wheels) => {
    const findings = check(on("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04").runCommand(command));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(`pip-installs ${wheels.join(", ")},`);
  });

  it.each([
    ["the base flavor", "nvidia/cuda:12.8.2-base-ubuntu24.04", "pip install torch"],
    ["a non-CUDA base", "python:3.12-slim", "pip install torch"],
    ["CPU wheels by index", "nvidia/cuda:12.8.2-runtime-ubuntu24.04", "pip install torch --index-url https://download.pytorch.org/whl/cpu"],
    ["CPU wheels by version", "nvidia/cuda:12.8.2-runtime-ubuntu24.04", "pip install torch==2.7.1+cpu"],
    ["other packages", "nvidia/cuda:12.8.2-runtime-ubuntu24.04", "pip install numpy torchmetrics"],
    ["an echo", "nvidia/cuda:12.8.2-runtime-ubuntu24.04", "echo pip install torch"],
    ["a requirements file", "nvidia/cuda:12.8.2-runtime-ubuntu24.04", "pip install -r requirements.txt"],
  ])("leaves %s alone", (_what, base, command) => {
    expect(check(on(base).runCommand(command))).toEqual([]);
  });

  it("says to compile in a builder stage for a devel base", () => {
    const findings = check(on("nvidia/cuda:12.8.2-devel-ubuntu24.04").runCommand("pip install torch"));
    expect(findings[0]?.fix).toContain("compile them in a devel builder stage and copy the wheels into a base-flavor runtime stage (createMultiStageAiImage)");
  });

  it("looks at the final stage and the stages it is based on, not at builder stages copied from", () => {
    const builder = new Image("me", "builder").fromBase("nvidia/cuda:12.8.2-devel-ubuntu24.04").runCommand("pip install torch");
    const slim = on("nvidia/cuda:12.8.2-base-ubuntu24.04").copyFrom(builder, "/wheels", "/wheels").runCommand("pip install torch");
    expect(check(slim)).toEqual([]);
    const derived = new Image("me", "derived").fromBase(builder).runCommand("pip install torchvision");
    expect(check(derived).map((f) => [f.stage, f.step])).toEqual([
      ["builder", 0],
      ["derived", 0],
    ]);
  });
});
