// GPU architectures (compute capabilities, the CUDA toolkits that compile for them) and GPU models. Plain data: see
// ./types.ts. Whether a torch build runs on a GPU is decided by the build's arch list (./torch.ts): a kernel built
// for X.y runs on X.z with z >= y, and PTX for X.y is JIT-compiled for any newer GPU.

import type { GpuTable } from "./types.ts";

const CUDA_GPUS = ["cuda-gpus"] as const;
const LEGACY = ["cuda-legacy-gpus"] as const;

export const gpuTable: GpuTable = {
  asOf: "2026-11-29",
  sources: [
    {
      id: "cuda-gpus",
      url: "https://developer.nvidia.com/cuda-gpus",
      states:
        "Compute capability per GPU: 12.1 GB10; 12.0 RTX PRO 6000 Blackwell, GeForce RTX 50xx; 11.0 Jetson T5000/T4000; 10.3 B300, GB300; 10.0 B200, GB200; 9.0 H100, H200, GH200; 8.9 L4, L40, L40S, RTX 6000 Ada, GeForce RTX 40xx; 8.7 Jetson Orin; 8.6 A40, A10, A16, A2, RTX A6000/A5000/A4000, GeForce RTX 30xx; 8.0 A100, A30.",
    },
    {
      id: "cuda-legacy-gpus",
      url: "https://developer.nvidia.com/cuda-legacy-gpus",
      states: "7.0 V100, TITAN V, Quadro GV100; 6.1 P40, P4, GTX 10xx; 6.0 P100; 5.2 M60, M40, GTX 9xx; 7.5 (T4, RTX 20xx) in the older edition of the table.",
    },
    {
      id: "cuda-13-release-notes",
      url: "https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html#deprecated-architectures",
      states:
        "Maxwell, Pascal and Volta are feature-complete; offline compilation and library support for them were removed in CUDA Toolkit 13.0.",
    },
    {
      id: "cuda-12.9-features",
      url: "https://docs.nvidia.com/cuda/archive/12.9.1/cuda-features-archive/index.html",
      states: "CUDA Toolkit 12.9 adds compiler targets sm_103 (10.3) and sm_121 (12.1).",
    },
    {
      id: "cmake-cuda-archs",
      url: "https://gitlab.kitware.com/cmake/cmake/-/merge_requests/8031",
      states: "Ada (8.9) and Hopper (9.0) are targets for CUDA >= 11.8; 8.7 for CUDA >= 11.4; Kepler 3.5/3.7 removed in CUDA 12.0.",
    },
    {
      id: "pytorch-blackwell-cmake",
      url: "https://github.com/pytorch/pytorch/pull/141724",
      states: "PyTorch's CUDA arch selection adds Blackwell (10.0) for CUDA versions greater than 12.6 (that is, 12.8).",
    },
    {
      id: "a10g-third-party",
      url: "https://huggingface.co/RajBhope/gpu-runtime-predictor/blob/main/gpu_catalog.json",
      states: "NVIDIA A10G (the AWS variant of the A10): compute capability 8.6.",
    },
  ],
  architectures: [
    {
      name: "Maxwell",
      computeCapabilities: ["5.0", "5.2"],
      minCuda: {},
      lastCudaMajor: 12,
      confidence: "confirmed",
      sources: ["cuda-legacy-gpus", "cuda-13-release-notes"],
    },
    {
      name: "Pascal",
      computeCapabilities: ["6.0", "6.1"],
      minCuda: {},
      lastCudaMajor: 12,
      confidence: "confirmed",
      sources: ["cuda-legacy-gpus", "cuda-13-release-notes"],
    },
    {
      name: "Volta",
      computeCapabilities: ["7.0"],
      minCuda: {},
      lastCudaMajor: 12,
      confidence: "confirmed",
      sources: ["cuda-legacy-gpus", "cuda-13-release-notes"],
    },
    { name: "Turing", computeCapabilities: ["7.5"], minCuda: {}, confidence: "confirmed", sources: ["cuda-legacy-gpus"] },
    {
      name: "Ampere",
      computeCapabilities: ["8.0", "8.6", "8.7"],
      minCuda: { "8.7": "11.4" },
      confidence: "confirmed",
      sources: ["cuda-gpus", "cmake-cuda-archs"],
      note: "8.7 is Jetson Orin.",
    },
    {
      name: "Ada",
      computeCapabilities: ["8.9"],
      minCuda: { "8.9": "11.8" },
      confidence: "confirmed",
      sources: ["cuda-gpus", "cmake-cuda-archs"],
    },
    {
      name: "Hopper",
      computeCapabilities: ["9.0"],
      minCuda: { "9.0": "11.8" },
      confidence: "confirmed",
      sources: ["cuda-gpus", "cmake-cuda-archs"],
    },
    {
      name: "Blackwell",
      computeCapabilities: ["10.0", "10.3", "11.0", "12.0", "12.1"],
      minCuda: { "10.0": "12.8", "10.3": "12.9", "11.0": "13.0", "12.0": "12.8", "12.1": "12.9" },
      confidence: "unconfirmed",
      sources: ["cuda-gpus", "cuda-12.9-features", "pytorch-blackwell-cmake"],
      note: "11.0 is Jetson Thor; its CUDA 13.0 floor (the renumbering from 10.1) is unconfirmed; the other floors are confirmed.",
    },
  ],
  models: [
    { names: ["GB10", "DGX Spark"], computeCapability: "12.1", sources: CUDA_GPUS },
    {
      names: ["RTX PRO 6000 Blackwell", "RTX PRO 6000", "RTX PRO 5000 Blackwell", "RTX PRO 4500 Blackwell", "RTX PRO 4000 Blackwell"],
      computeCapability: "12.0",
      sources: CUDA_GPUS,
    },
    { names: ["RTX 5090", "RTX 5080", "RTX 5070 Ti", "RTX 5070", "RTX 5060 Ti", "RTX 5060", "RTX 5050"], computeCapability: "12.0", sources: CUDA_GPUS },
    { names: ["Jetson T5000", "Jetson T4000"], computeCapability: "11.0", sources: CUDA_GPUS },
    { names: ["B300", "GB300"], computeCapability: "10.3", sources: CUDA_GPUS },
    { names: ["B200", "GB200"], computeCapability: "10.0", sources: CUDA_GPUS },
    { names: ["H100", "H200", "GH200"], computeCapability: "9.0", sources: CUDA_GPUS },
    {
      names: ["L4", "L40", "L40S", "RTX 6000 Ada", "RTX 5000 Ada", "RTX 4500 Ada", "RTX 4000 Ada", "RTX 2000 Ada"],
      computeCapability: "8.9",
      sources: CUDA_GPUS,
    },
    { names: ["RTX 4090", "RTX 4080", "RTX 4070 Ti", "RTX 4070", "RTX 4060 Ti", "RTX 4060", "RTX 4050"], computeCapability: "8.9", sources: CUDA_GPUS },
    { names: ["Jetson AGX Orin", "Jetson Orin NX", "Jetson Orin Nano"], computeCapability: "8.7", sources: CUDA_GPUS },
    { names: ["A10", "A40", "A16", "A2", "RTX A6000", "RTX A5000", "RTX A4000", "RTX A2000"], computeCapability: "8.6", sources: CUDA_GPUS },
    { names: ["A10G"], computeCapability: "8.6", sources: ["a10g-third-party"] },
    { names: ["RTX 3090", "RTX 3080", "RTX 3070", "RTX 3060"], computeCapability: "8.6", sources: CUDA_GPUS },
    { names: ["A100", "A30"], computeCapability: "8.0", sources: CUDA_GPUS },
    { names: ["T4", "RTX 2080 Ti", "RTX 2080", "RTX 2060", "Quadro RTX 8000", "Quadro RTX 6000"], computeCapability: "7.5", sources: LEGACY },
    { names: ["V100", "TITAN V", "Quadro GV100"], computeCapability: "7.0", sources: LEGACY },
    { names: ["P40", "P4", "GTX 1080 Ti", "GTX 1080", "GTX 1070", "GTX 1060"], computeCapability: "6.1", sources: LEGACY },
    { names: ["P100", "Quadro GP100"], computeCapability: "6.0", sources: LEGACY },
    { names: ["M60", "M40", "GTX 980 Ti", "GTX 980"], computeCapability: "5.2", sources: LEGACY },
  ],
};
