// @chutes/presets: CUDA / PyTorch building blocks and templates that know which versions fit together.

// Compatibility data (plain tables with asOf dates and sources)
export { torchTable } from "./data/torch.ts";
export { cudaImageTable } from "./data/cuda-images.ts";
export { driverTable } from "./data/drivers.ts";
export { gpuTable } from "./data/gpus.ts";
export { toolTable } from "./data/tools.ts";
export type {
  Confidence,
  CudaFlavor,
  CudaImageRow,
  CudaImageTable,
  DataTable,
  DriverTable,
  GpuArchitecture,
  GpuModel,
  GpuTable,
  MajorDriverFloor,
  Source,
  ToolTable,
  ToolkitDriver,
  TorchIndexBuild,
  TorchRelease,
  TorchSeries,
  TorchTable,
  UbuntuRelease,
  WheelIndex,
} from "./data/types.ts";

// Solver
export { WHEEL_INDEX_BASE, resolveTorch } from "./resolve.ts";
export type { TorchRequest, TorchResolution } from "./resolve.ts";
export { archListFor, resolveGpu } from "./gpus.ts";
export type { TargetGpu } from "./gpus.ts";
export { cudaBase, cudaImage, parseCudaImage } from "./cuda-image.ts";
export type { CudaImageInfo, CudaImageOptions } from "./cuda-image.ts";

// Presets and conflicts
export { PRESET_LABEL_PREFIX, appliedPresets, checkPresets, definePreset, presetConflicts } from "./preset.ts";
export type { AppliedPreset, Preset, PresetDeclaration, PresetDefinition } from "./preset.ts";

// Building blocks
export { environmentOf, pipCacheMounts, pipInstall, shellWord, withPipCache } from "./blocks/pip.ts";
export type { PipCacheOptions, PipInstallOptions } from "./blocks/pip.ts";
export { systemPythonOf, withPythonVenv, withUv } from "./blocks/python.ts";
export type { PythonVenvOptions, UvOptions } from "./blocks/python.ts";
export { TORCH_CONSTRAINTS, withTorch } from "./blocks/torch.ts";
export type { TorchPackage, WithTorchOptions } from "./blocks/torch.ts";
export { nonRootUser } from "./blocks/user.ts";
export type { NonRootUserOptions } from "./blocks/user.ts";
export { withHfCache } from "./blocks/hf-cache.ts";
export type { HfCacheOptions } from "./blocks/hf-cache.ts";

// Templates
export { createBaseAiImage, createMlImage, createNlpImage } from "./templates/layered.ts";
export { createPytorchImage } from "./templates/pytorch.ts";
export { WHEELS_DIR, createMultiStageAiImage, maxJobsFor } from "./templates/multi-stage.ts";
export type { MultiStageOptions, WheelSpec } from "./templates/multi-stage.ts";
export { createMinimalImage, createOptimizedImage } from "./templates/python-apps.ts";
export type { PythonAppOptions } from "./templates/python-apps.ts";
export { defaultInstallers } from "./templates/options.ts";
export type { Installers, LayerOptions, PythonInstallerOptions, TemplateOptions } from "./templates/options.ts";

// Lint
export { cudaWheelsRule } from "./cuda-wheels-rule.ts";
