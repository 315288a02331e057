import { Image, ValidationError } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { cudaBase, cudaImage, parseCudaImage, resolveTorch } from "../src/index.ts";

describe("parseCudaImage", () => {
  it.each([
    ["nvidia/cuda:12.8.2-base-ubuntu24.04", { cuda: "12.8", version: "12.8.2", flavor: "base", ubuntu: "24.04" }],
    ["nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", { cuda: "11.8", version: "11.8.0", flavor: "cudnn-runtime", ubuntu: "22.04" }],
    ["docker.io/nvidia/cuda:12.4.1-cudnn-devel-ubuntu20.04", { cuda: "12.4", version: "12.4.1", flavor: "cudnn-devel", ubuntu: "20.04" }],
    ["nvcr.io/nvidia/cuda:13.0.3-devel-ubi9", { cuda: "13.0", version: "13.0.3", flavor: "devel" }],
    // The seed's short tags parse (and lint can say what they mean), though NVIDIA does not publish them.
    ["nvidia/cuda:11.8-runtime", { cuda: "11.8", version: "11.8", flavor: "runtime" }],
  ] as const)("%s", (reference, expected) => {
    expect(parseCudaImage(reference)).toEqual(expected);
  });

  it.each(["ubuntu:22.04", "nvidia/cudagl:11.4.2-base-ubuntu20.04", "nvidia/cuda:latest", "pytorch/pytorch:2.0.1-cuda11.7-cudnn8-runtime"])("%s is not one", (reference) => {
    expect(parseCudaImage(reference)).toBeUndefined();
  });
});

describe("cudaImage", () => {
  it("picks the newest listed update and spells the cuDNN flavor per version", () => {
    expect(cudaImage({ cuda: "12.8" })).toBe("nvidia/cuda:12.8.2-base-ubuntu24.04");
    expect(cudaImage({ cuda: "12.8", flavor: "cudnn-runtime" })).toBe("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04");
    expect(cudaImage({ cuda: "12.3", ubuntu: "22.04", flavor: "cudnn-devel" })).toBe("nvidia/cuda:12.3.2-cudnn9-devel-ubuntu22.04");
    expect(cudaImage({ cuda: "11.8.0", ubuntu: "20.04", flavor: "runtime" })).toBe("nvidia/cuda:11.8.0-runtime-ubuntu20.04");
  });

  it.each([
    [{ cuda: "12.7" }, "cuda-unsupported", "the table has no nvidia/cuda images for CUDA 12.7; use 12.8, 12.6 or 12.9"],
    [{ cuda: "13.0", ubuntu: "20.04" }, "ubuntu-unsupported", "nvidia/cuda 13.0 has no base images for ubuntu 20.04; use ubuntu 24.04 or 22.04"],
    [
      { cuda: "12.5", ubuntu: "24.04", flavor: "cudnn-runtime" },
      "cuda-image-unavailable",
      "nvidia/cuda 12.5 has no cudnn-runtime image for ubuntu 24.04; use flavor base, runtime or devel, or ubuntu 22.04 or 20.04",
    ],
  ] as const)("%j fails", (options, code, message) => {
    try {
      cudaImage(options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => [i.code, i.message])).toEqual([[code, message]]);
    }
  });
});

describe("cudaBase", () => {
  it("sets the base from options or from a resolution", () => {
    const image = new Image("me", "app", "1.0.0");
    expect(image.with(cudaBase({ cuda: "12.6", ubuntu: "22.04" })).toJSON().stages[0]?.base).toEqual({ image: "nvidia/cuda:12.6.3-base-ubuntu22.04" });
    expect(image.with(cudaBase(resolveTorch({ cuda: "11.8" }))).toJSON().stages[0]?.base).toEqual({ image: "nvidia/cuda:11.8.0-base-ubuntu22.04" });
  });
});
