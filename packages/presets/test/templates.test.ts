// Every template: valid, rendered to its reviewed golden Dockerfile (regenerate with `pnpm --filter
// @chutes/presets golden`, then review the diff), deterministic, free of preset conflicts, and linting as expected.
import { renderDockerfile } from "@chutes/dockerfile";
import { Image, ValidationError, lint } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import {
  appliedPresets,
  createBaseAiImage,
  createMinimalImage,
  createMlImage,
  createMultiStageAiImage,
  createNlpImage,
  createOptimizedImage,
  createPytorchImage,
  cudaWheelsRule,
  presetConflicts,
} from "../src/index.ts";

const base = createBaseAiImage();
const ml = createMlImage(base);
const nlp = createNlpImage(ml);
const base311 = createBaseAiImage({ name: "ai-base-py311", cuda: "12.8", python: "3.11" });

/** Each golden: the image, the core lint rules it trips (by id), and whether cudaWheelsRule fires. */
const goldens: readonly (readonly [file: string, image: Image, lintRules: readonly string[], cudaWheels: boolean])[] = [
  ["base-ai", base, ["non-root-user"], false],
  ["ml", ml, ["non-root-user"], false],
  ["nlp", nlp, ["non-root-user"], false],
  ["base-ai-cu128-py311", base311, ["non-root-user"], false],
  ["ml-cu128-py311", createMlImage(base311), ["non-root-user"], false],
  ["pytorch-gpt2", createPytorchImage("gpt2", "1.0.0"), [], true],
  ["pytorch-llama-h100", createPytorchImage("llama", "2.0.0", { gpus: ["H100"] }), [], true],
  [
    "multi-stage",
    createMultiStageAiImage({ name: "llm", gpus: ["A100", "H100"], wheels: ["flash-attn==2.8.3"], packages: ["transformers", "accelerate"] }),
    [],
    false,
  ],
  ["optimized", createOptimizedImage(), [], false],
  ["minimal", createMinimalImage(), [], false],
];

describe.each(goldens.map((row) => [row[0], row] as const))("%s", (file, [, image, lintRules, cudaWheels]) => {
  it("validates with no issues", () => {
    expect(image.validate()).toEqual([]);
  });

  it(`renders to test/golden/${file}.Dockerfile`, async () => {
    await expect(renderDockerfile(image)).toMatchFileSnapshot(`golden/${file}.Dockerfile`);
  });

  it("renders the same bytes twice and after a JSON round trip", () => {
    const text = renderDockerfile(image);
    expect(renderDockerfile(image)).toBe(text);
    expect(renderDockerfile(Image.fromJSON(JSON.stringify(image)))).toBe(text);
  });

  it("has no preset conflicts", () => {
    expect(presetConflicts(image)).toEqual([]);
  });

  it(`lints with ${lintRules.length === 0 ? "no findings" : lintRules.join(", ")}${cudaWheels ? " and the CUDA-wheels warning" : ""}`, () => {
    expect([...new Set(lint(image).map((finding) => finding.rule))].sort()).toEqual(lintRules);
    expect(cudaWheelsRule.check(image.toJSON()).length > 0).toBe(cudaWheels);
  });
});

describe("layered templates", () => {
  it("leave their argument unchanged", () => {
    const before = JSON.stringify(base);
    createNlpImage(createMlImage(base));
    expect(JSON.stringify(base)).toBe(before);
  });

  it("carry the resolution from layer to layer (torch, index and Python)", () => {
    const torchOf = (image: Image) => appliedPresets(image).find((preset) => preset.name === "torch")?.notes;
    expect(torchOf(ml)).toEqual({ index: "cu118", python: "3.10", torch: "2.7.1" });
    expect(torchOf(createMlImage(base311))).toEqual({ index: "cu128", python: "3.11", torch: "2.10.0" });
    const pinned = createMlImage(createBaseAiImage({ torch: "2.12.0", cuda: "13.0" }));
    expect(torchOf(pinned)).toEqual({ index: "cu130", python: "3.12", torch: "2.12.0" });
  });

  it("install CPU wheels on a base that is not nvidia/cuda", () => {
    const cpu = createMlImage(new Image("me", "cpu-app", "1.0.0").fromBase("ubuntu:24.04"));
    expect(renderDockerfile(cpu)).toContain("--index-url https://download.pytorch.org/whl/cpu");
  });

  it("reject a layer that cannot fit the base", () => {
    expect(() => createMlImage(base, { torch: "2.9.1" })).toThrow("torch 2.9.1 has no cu118 build; use cu126, cu128 or cu130");
  });
});

describe("template options", () => {
  it("keep the seed's defaults only when no version is pinned", () => {
    expect(createBaseAiImage().toJSON().stages[0]?.base).toEqual({ image: "nvidia/cuda:11.8.0-base-ubuntu22.04" });
    expect(createBaseAiImage({ torch: "2.9.1" }).toJSON().stages[0]?.base).toEqual({ image: "nvidia/cuda:12.8.2-base-ubuntu24.04" });
    expect(createBaseAiImage({ flavor: "runtime" }).toJSON().stages[0]?.base).toEqual({ image: "nvidia/cuda:11.8.0-runtime-ubuntu22.04" });
  });

  it("take an explicit base and replacement installers", () => {
    const image = createBaseAiImage({
      base: "debian:bookworm-slim",
      cuda: "cpu",
      pipCache: false,
      installers: { python: () => (img) => img.runCommand("true") },
    });
    expect(renderDockerfile(image).split("\n").slice(0, 3)).toEqual(["FROM debian:bookworm-slim", "RUN true", expect.stringMatching(/^LABEL dev\.chutes\.preset\.torch-target=/)]);
  });

  it("createMinimalImage refuses Alpine: PyTorch has no musl wheels", () => {
    try {
      createMinimalImage({ base: "python:3.11-alpine" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => [i.code, i.message])).toEqual([
        ["musl-unsupported", "python:3.11-alpine is musl-based (Alpine), and PyTorch publishes glibc (manylinux) wheels only; use python:3.11-slim"],
      ]);
    }
  });

  it("the multi-stage template derives MAX_JOBS and TORCH_CUDA_ARCH_LIST from the target GPUs", () => {
    const image = createMultiStageAiImage({ gpus: ["L4", "H100", "B200"], wheels: [{ requirement: "flash-attn==2.8.3", buildIsolation: true }] });
    const text = renderDockerfile(image);
    expect(text).toContain('ENV TORCH_CUDA_ARCH_LIST="8.9;9.0;10.0"\nENV MAX_JOBS="2"\n');
    expect(text).toContain("pip wheel --no-deps --wheel-dir /wheels flash-attn==2.8.3\n");
    expect(text).toContain("COPY --from=ai-app-builder /wheels /wheels\n");
  });
});

describe("withUv in both stages", () => {
  it("shares one uv stage", () => {
    const image = createMultiStageAiImage({ cuda: "12.8", python: "3.11", wheels: ["flash-attn==2.8.3"] });
    expect(image.toJSON().stages.map((stage) => stage.id)).toEqual(["uv", "ai-app-builder", "ai-app"]);
    expect(image.validate()).toEqual([]);
  });
});
