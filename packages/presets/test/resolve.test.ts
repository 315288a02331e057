// Table tests for resolveTorch: valid requests resolve to exactly these choices; every invalid kind fails with its
// code and its exact message (the fix it proposes).
import { ValidationError } from "@chutes/image-core";
import type { Issue } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { resolveTorch } from "../src/index.ts";
import type { TorchRequest } from "../src/index.ts";

interface Valid {
  readonly request: TorchRequest;
  readonly baseImage: string;
  readonly pins: string;
  readonly python: string;
  readonly source: "system" | "uv";
  readonly archList: string | null;
  readonly minDriver: string | null;
}

const valid: readonly Valid[] = [
  // Defaults: the newest confirmed release, its PyPI CUDA build, the newest Ubuntu whose python3 it supports.
  { request: {}, baseImage: "nvidia/cuda:12.8.2-base-ubuntu24.04", pins: "2.10.0/0.25.0/2.10.0", python: "3.12", source: "system", archList: "7.0;7.5;8.0;8.6;9.0;10.0;12.0", minDriver: "570.26" },
  // The seed's pin: cu118 resolves to the newest torch built for it.
  { request: { cuda: "11.8" }, baseImage: "nvidia/cuda:11.8.0-base-ubuntu22.04", pins: "2.7.1/0.22.1/2.7.1", python: "3.10", source: "system", archList: "3.7;5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "520.61.05" },
  { request: { cuda: "cu124" }, baseImage: "nvidia/cuda:12.4.1-base-ubuntu22.04", pins: "2.6.0/0.21.0/2.6.0", python: "3.10", source: "system", archList: "5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "550.54.14" },
  // torch 2.0.x: the PyPI build is CUDA 11.7; the wheel torchvision/torchaudio pins differ from conda's.
  { request: { torch: "2.0.1" }, baseImage: "nvidia/cuda:11.7.1-base-ubuntu22.04", pins: "2.0.1/0.15.2/2.0.2", python: "3.10", source: "system", archList: "3.7;5.0;6.0;7.0;7.5;8.0;8.6", minDriver: "515.43.04" },
  { request: { torch: "2.0.0", cuda: "11.8" }, baseImage: "nvidia/cuda:11.8.0-base-ubuntu22.04", pins: "2.0.0/0.15.1/2.0.1", python: "3.10", source: "system", archList: "3.7;5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "520.61.05" },
  // A series means its newest patch release.
  { request: { torch: "2.1" }, baseImage: "nvidia/cuda:12.1.1-base-ubuntu22.04", pins: "2.1.2/0.16.2/2.1.2", python: "3.10", source: "system", archList: "5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "530.30.02" },
  // A Python no Ubuntu release ships: uv provides it.
  { request: { torch: "2.5.1", cuda: "12.1", python: "3.9" }, baseImage: "nvidia/cuda:12.1.1-base-ubuntu22.04", pins: "2.5.1/0.20.1/2.5.1", python: "3.9", source: "uv", archList: "5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "530.30.02" },
  { request: { cuda: "12.6.3", python: "3.11" }, baseImage: "nvidia/cuda:12.6.3-base-ubuntu24.04", pins: "2.10.0/0.25.0/2.10.0", python: "3.11", source: "uv", archList: "5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "560.28.03" },
  { request: { python: "3.8" }, baseImage: "nvidia/cuda:12.1.1-base-ubuntu20.04", pins: "2.3.1/0.18.1/2.3.1", python: "3.8", source: "system", archList: "5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "530.30.02" },
  // GPUs: Blackwell needs a CUDA 12.8+ build; the arch list is the targets' compute capabilities.
  { request: { torch: "2.7.1", gpus: ["RTX 5090"] }, baseImage: "nvidia/cuda:12.8.2-base-ubuntu24.04", pins: "2.7.1/0.22.1/2.7.1", python: "3.12", source: "system", archList: "12.0", minDriver: "570.26" },
  { request: { gpus: ["H100", "L4"], cuda: "12.8" }, baseImage: "nvidia/cuda:12.8.2-base-ubuntu24.04", pins: "2.10.0/0.25.0/2.10.0", python: "3.12", source: "system", archList: "8.9;9.0", minDriver: "570.26" },
  // 2.8-2.10 cu128 still carries Volta, so one image serves V100 and B200.
  { request: { torch: "2.8.0", gpus: ["V100", "B200"] }, baseImage: "nvidia/cuda:12.8.2-base-ubuntu24.04", pins: "2.8.0/0.23.0/2.8.0", python: "3.12", source: "system", archList: "7.0;10.0", minDriver: "570.26" },
  // 2.11 dropped Volta from cu128 and its PyPI build is cu130: only cu126 runs on a V100.
  { request: { torch: "2.11", gpus: ["V100"] }, baseImage: "nvidia/cuda:12.6.3-base-ubuntu24.04", pins: "2.11.0/0.26.0/2.11.0", python: "3.12", source: "system", archList: "7.0", minDriver: "560.28.03" },
  // torch 2.12 and later use torchaudio 2.11 (stable ABI); GB10 (12.1) runs the 12.0 kernels.
  { request: { torch: "2.12", cuda: "13.2", gpus: ["GB10"] }, baseImage: "nvidia/cuda:13.2.1-base-ubuntu24.04", pins: "2.12.1/0.27.1/2.11.0", python: "3.12", source: "system", archList: "12.1", minDriver: "595.45.04" },
  // CUDA 11.7's nvcc cannot target 8.9: the arch list falls back to 8.6, whose kernels run on an L4.
  { request: { torch: "2.0.1", gpus: ["L4"] }, baseImage: "nvidia/cuda:11.7.1-base-ubuntu22.04", pins: "2.0.1/0.15.2/2.0.2", python: "3.10", source: "system", archList: "8.6", minDriver: "515.43.04" },
  // Flavors: cuDNN tags are spelled per CUDA version; 12.8's newest cuDNN tag is 12.8.1.
  { request: { cuda: "13.0", flavor: "cudnn-devel" }, baseImage: "nvidia/cuda:13.0.3-cudnn-devel-ubuntu24.04", pins: "2.10.0/0.25.0/2.10.0", python: "3.12", source: "system", archList: "7.5;8.0;8.6;9.0;10.0;12.0+PTX", minDriver: "580.65.06" },
  { request: { cuda: "12.8", flavor: "cudnn-runtime", ubuntu: "22.04" }, baseImage: "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04", pins: "2.10.0/0.25.0/2.10.0", python: "3.10", source: "system", archList: "7.0;7.5;8.0;8.6;9.0;10.0;12.0", minDriver: "570.26" },
  { request: { torch: "2.1.0", cuda: "11.8", flavor: "cudnn-runtime" }, baseImage: "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", pins: "2.1.0/0.16.0/2.1.0", python: "3.10", source: "system", archList: "3.7;5.0;6.0;7.0;7.5;8.0;8.6;9.0", minDriver: "520.61.05" },
  // CPU wheels: a plain Ubuntu base, no arch list, no driver.
  { request: { cuda: "cpu", python: "3.11" }, baseImage: "ubuntu:24.04", pins: "2.10.0/0.25.0/2.10.0", python: "3.11", source: "uv", archList: null, minDriver: null },
];

describe("resolveTorch: valid requests", () => {
  it.each(valid.map((row) => [JSON.stringify(row.request), row] as const))("%s", (_name, row) => {
    const result = resolveTorch(row.request);
    expect({
      baseImage: result.baseImage,
      pins: `${result.pins.torch}/${result.pins.torchvision}/${result.pins.torchaudio}`,
      python: result.python,
      source: result.pythonSource,
      archList: result.archList,
      minDriver: result.minDriver,
    }).toEqual({
      baseImage: row.baseImage,
      pins: row.pins,
      python: row.python,
      source: row.source,
      archList: row.archList,
      minDriver: row.minDriver,
    });
    expect(result.wheelIndex).toBe(`https://download.pytorch.org/whl/${result.index}`);
  });

  it("is deterministic and leaves the request alone", () => {
    const request: TorchRequest = Object.freeze({ gpus: Object.freeze(["A100"]) });
    expect(resolveTorch(request)).toEqual(resolveTorch(request));
  });

  it("reports the minor-version-compatibility floor next to the toolkit driver", () => {
    expect(resolveTorch({ cuda: "11.8" }).minDriverMinorCompat).toBe("450.80.02");
    expect(resolveTorch({ cuda: "12.8" }).minDriverMinorCompat).toBe("525.60.13");
    expect(resolveTorch({ cuda: "13.0" }).minDriverMinorCompat).toBe("580.65.06");
  });

  it("says when a choice rests on unconfirmed table facts", () => {
    expect(resolveTorch({ cuda: "11.8" }).confidence).toBe("confirmed");
    const later = resolveTorch({ torch: "2.14.0" });
    expect(later.confidence).toBe("unconfirmed");
    expect(later.unconfirmed).toEqual(["pins of torch 2.14.0: torchvision pin seen only in third-party install commands."]);
  });

  it("prefers confirmed releases only when no version is asked for", () => {
    expect(resolveTorch({}).pins.torch).toBe("2.10.0");
    expect(resolveTorch({ torch: "2.14" }).pins.torch).toBe("2.14.0");
    expect(resolveTorch({ cuda: "13.2" }).pins.torch).toBe("2.14.0");
  });

  it("never falls back to CPU wheels unless asked", () => {
    expect(resolveTorch({ torch: "2.9.1" }).index).toBe("cu128");
    expect(resolveTorch({ torch: "2.9.1", cuda: "cpu" }).index).toBe("cpu");
  });
});

interface Invalid {
  readonly request: TorchRequest;
  readonly issues: readonly (readonly [code: string, message: string])[];
}

const invalid: readonly Invalid[] = [
  { request: { torch: "x" }, issues: [["invalid-torch-version", 'torch version "x" is not valid; give "2.X.Y" or a series "2.X", e.g. "2.7.1"']] },
  { request: { cuda: "twelve" }, issues: [["invalid-cuda-version", 'CUDA version "twelve" is not valid; give "12.8", "cu128" or "cpu"']] },
  { request: { python: "3" }, issues: [["invalid-python-version", 'Python version "3" is not valid; give "3.X", e.g. "3.12"']] },
  {
    request: { gpus: ["A1000"] },
    issues: [["unknown-gpu", 'unknown GPU "A1000"; give a model ("H100", "L4", "RTX 4090"), an architecture ("Hopper", "Ampere") or a compute capability ("9.0", "sm_90")']],
  },
  { request: { flavor: "slim" as never }, issues: [["invalid-flavor", 'flavor "slim" is not an nvidia/cuda flavor; use base, runtime, devel, cudnn-runtime or cudnn-devel']] },
  { request: { ubuntu: "noble" }, issues: [["invalid-ubuntu-version", 'Ubuntu version "noble" is not valid; give "24.04", "22.04" or "20.04"']] },
  // Shapes are all reported together.
  {
    request: { torch: "two", gpus: ["A1000"] },
    issues: [
      ["invalid-torch-version", 'torch version "two" is not valid; give "2.X.Y" or a series "2.X", e.g. "2.7.1"'],
      ["unknown-gpu", 'unknown GPU "A1000"; give a model ("H100", "L4", "RTX 4090"), an architecture ("Hopper", "Ampere") or a compute capability ("9.0", "sm_90")'],
    ],
  },
  { request: { torch: "2.15" }, issues: [["torch-unknown", "torch 2.15 is not in the compatibility table (torch 2.0.0 to 2.14.0, as of 2026-11-29); use 2.14.0"]] },
  { request: { torch: "2.7.5" }, issues: [["torch-unknown", "torch 2.7.5 is not in the compatibility table (torch 2.0.0 to 2.14.0, as of 2026-11-29); use 2.7.1 or 2.8.0"]] },
  { request: { torch: "2.5.1", cuda: "cu128" }, issues: [["torch-cuda-mismatch", "torch 2.5.1 has no cu128 build; use cu124, cu121 or cu118"]] },
  { request: { torch: "2.12", cuda: "12.8" }, issues: [["torch-cuda-mismatch", "torch 2.12 has no cu128 build; use cu126, cu130 or cu132"]] },
  { request: { cuda: "12.5" }, issues: [["cuda-unsupported", "no torch release in the table has a cu125 build (CUDA 12.5); use cu126, cu124 or cu128"]] },
  {
    request: { torch: "2.9.1", python: "3.9" },
    issues: [["python-unsupported", "torch 2.9.1 supports Python 3.10 to 3.14, not 3.9; use Python 3.10, or torch 2.8.0 (the nearest release for Python 3.9)"]],
  },
  {
    request: { torch: "2.0.1", python: "3.12" },
    issues: [["python-unsupported", "torch 2.0.1 supports Python 3.8 to 3.11, not 3.12; use Python 3.11, or torch 2.4.0 (the nearest release for Python 3.12)"]],
  },
  {
    request: { torch: "2.0.1", cuda: "11.8", python: "3.12" },
    issues: [["python-unsupported", "torch 2.0.1 supports Python 3.8 to 3.11, not 3.12; use Python 3.11, or torch 2.4.0 with a cu118 build (the nearest release for Python 3.12)"]],
  },
  { request: { python: "3.7" }, issues: [["python-unsupported", "no torch release in the table supports Python 3.7; use Python 3.8 to 3.14"]] },
  {
    request: { torch: "2.6.0", gpus: ["B200"] },
    issues: [["gpu-arch-unsupported", "torch 2.6.0 (cu118, cu124, cu126) has no kernels for B200 (Blackwell, compute capability 10.0); use torch 2.7.0 or newer with cu128, cu129, cu130 or cu132"]],
  },
  {
    request: { torch: "2.8.0", cuda: "12.6", gpus: ["RTX 5090"] },
    issues: [["gpu-arch-unsupported", "torch 2.8.0 (cu126) has no kernels for RTX 5090 (Blackwell, compute capability 12.0); use cu128 or cu129"]],
  },
  {
    request: { cuda: "13.0", gpus: ["V100"] },
    issues: [["gpu-arch-unsupported", "torch 2.9.0 to 2.14.0 (cu130) has no kernels for V100 (Volta, compute capability 7.0); use torch 2.0.0 or newer with cu117, cu118, cu121, cu124, cu126, cu128 or cu129"]],
  },
  {
    request: { gpus: ["P100", "B200"] },
    issues: [["gpu-arch-unsupported", "no torch build in the table has kernels for P100 (Pascal, compute capability 6.0) and B200 (Blackwell, compute capability 10.0) together; target fewer GPU generations per image"]],
  },
  {
    request: { gpus: ["Jetson T5000"] },
    issues: [["gpu-arch-unsupported", "no torch build in the table has kernels for Jetson T5000 (Blackwell, compute capability 11.0)"]],
  },
  { request: { torch: "2.0.1", ubuntu: "24.04" }, issues: [["ubuntu-unsupported", "torch 2.0.1 (cu117 or cu118) has no base images for ubuntu 24.04; use ubuntu 22.04 or 20.04, or torch 2.6.0 or newer"]] },
  { request: { cuda: "13.0", ubuntu: "20.04" }, issues: [["ubuntu-unsupported", "nvidia/cuda 13.0 has no base images for ubuntu 20.04; use ubuntu 24.04 or 22.04"]] },
  { request: { cuda: "12.8", ubuntu: "18.04" }, issues: [["ubuntu-unsupported", "nvidia/cuda 12.8 has no base images for ubuntu 18.04; use ubuntu 24.04, 22.04 or 20.04"]] },
  // One bad field does not hide another.
  {
    request: { torch: "2.5.1", cuda: "12.8", python: "3.13" },
    issues: [
      ["torch-cuda-mismatch", "torch 2.5.1 has no cu128 build; use cu124, cu121 or cu118"],
      ["python-unsupported", "torch 2.5.1 supports Python 3.9 to 3.12, not 3.13; use Python 3.12, or torch 2.7.0 with a cu128 build (the nearest release for Python 3.13)"],
    ],
  },
];

describe("resolveTorch: invalid requests", () => {
  it.each(invalid.filter((row) => row.issues.length > 0).map((row) => [JSON.stringify(row.request), row] as const))("%s", (_name, row) => {
    let error: unknown;
    try {
      resolveTorch(row.request);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i: Issue) => [i.code, i.message])).toEqual(row.issues);
    for (const i of issues) {
      expect(i.method).toBe("resolveTorch");
      expect(i.severity).toBe("error");
      expect(i.path).toHaveLength(1);
    }
  });

  it("the error's code is validation-failed and it carries the offending value", () => {
    try {
      resolveTorch({ torch: "2.5.1", cuda: "cu128" });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).code).toBe("validation-failed");
      expect((error as ValidationError).issues[0]?.value).toBe("cu128");
      expect((error as ValidationError).issues[0]?.path).toEqual(["cuda"]);
    }
  });
});
