// The shapes of the compatibility tables in this folder. The tables are plain data (no logic), each with the date
// its facts were checked (`asOf`) and where each fact comes from (`sources`), so a table update is a small diff
// that a reviewer can check against the cited pages.

/** Whether a fact was checked against a cited source, or is inferred / seen only in third-party use. */
export type Confidence = "confirmed" | "unconfirmed";

/** A page a table's facts come from, and what the table takes from it. */
export interface Source {
  /** Stable key the rows refer to. */
  readonly id: string;
  readonly url: string;
  /** What this source states that the table relies on. */
  readonly states: string;
}

/** Every table: when it was last checked, and its sources. */
export interface DataTable {
  /** ISO date (`YYYY-MM-DD`) the facts were last checked. */
  readonly asOf: string;
  readonly sources: readonly Source[];
}

/** A PyTorch wheel index name: `cpu`, or `cu` + CUDA major + minor (`cu118`, `cu128`, `cu130`). */
export type WheelIndex = `cu${number}` | "cpu";

/** One wheel index a torch series was published for. */
export interface TorchIndexBuild {
  readonly index: WheelIndex;
  /**
   * The compute capabilities the wheels carry kernels for (`TORCH_CUDA_ARCH_LIST` of the build), in ascending
   * order; `+PTX` marks an entry that also ships PTX (JIT-compiled on newer GPUs). Empty for `cpu`.
   */
  readonly archs: readonly string[];
  readonly confidence: Confidence;
  /** Source ids for this build's facts. */
  readonly sources: readonly string[];
  readonly note?: string;
}

/** One torch release with the domain-library versions published with it. */
export interface TorchRelease {
  readonly torch: string;
  readonly torchvision: string;
  readonly torchaudio: string;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
  readonly note?: string;
}

/** One minor series of torch (`2.7`): everything its patch releases share. */
export interface TorchSeries {
  readonly series: string;
  /** CPython minor versions with official wheels (`3.10`), ascending. */
  readonly python: readonly string[];
  /** Versions the release matrix lists as experimental; the solver does not pick them. */
  readonly pythonExperimental: readonly string[];
  /** The CUDA build `pip install torch` gets from PyPI on Linux x86_64 (`cu121`). */
  readonly pypiDefault: WheelIndex;
  readonly pypiDefaultConfidence: Confidence;
  readonly builds: readonly TorchIndexBuild[];
  /** Patch releases, ascending. */
  readonly releases: readonly TorchRelease[];
  readonly sources: readonly string[];
}

export interface TorchTable extends DataTable {
  readonly series: readonly TorchSeries[];
}

/** The flavors `nvidia/cuda` publishes. */
export type CudaFlavor = "base" | "runtime" | "devel" | "cudnn-runtime" | "cudnn-devel";

/** Ubuntu releases the `nvidia/cuda` images are built on, with the Python they ship. */
export interface UbuntuRelease {
  readonly version: string;
  readonly codename: string;
  /** The `python3` of the release's archive (minor version). */
  readonly python: string;
  /** Whether the system Python is marked EXTERNALLY-MANAGED (PEP 668): `pip install` outside a venv fails. */
  readonly externallyManaged: boolean;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
}

/**
 * A set of `nvidia/cuda` tags: `<tag>-<flavor>-ubuntu<ubuntu>`, where a cuDNN flavor's `cudnn` is written
 * `cudnnInfix` (`cudnn8`, `cudnn9` or `cudnn`).
 */
export interface CudaImageRow {
  /** CUDA minor version (`12.8`). */
  readonly cuda: string;
  /** The full version in the tag (`12.8.2`). */
  readonly tag: string;
  readonly ubuntu: string;
  readonly flavors: readonly CudaFlavor[];
  readonly cudnnInfix?: "cudnn8" | "cudnn9" | "cudnn";
  /** `supported` tags get security updates; `unsupported` ones are still published but no longer updated. */
  readonly listed: "supported" | "unsupported";
  readonly confidence: Confidence;
  readonly sources: readonly string[];
}

export interface CudaImageTable extends DataTable {
  readonly repository: string;
  readonly ubuntu: readonly UbuntuRelease[];
  readonly images: readonly CudaImageRow[];
}

/** The NVIDIA Linux x86_64 driver a CUDA toolkit version needs. */
export interface ToolkitDriver {
  /** CUDA minor version (`12.8`). */
  readonly cuda: string;
  /** Minimum driver of the minor's GA release (Table 3 of the CUDA release notes). */
  readonly linux: string;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
}

/** The driver floor of a CUDA major under minor-version compatibility. */
export interface MajorDriverFloor {
  readonly major: number;
  readonly linux: string;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
  readonly note?: string;
}

export interface DriverTable extends DataTable {
  readonly toolkits: readonly ToolkitDriver[];
  readonly majors: readonly MajorDriverFloor[];
}

/** A GPU architecture and the CUDA toolkits that can compile for it. */
export interface GpuArchitecture {
  readonly name: string;
  /** Compute capabilities (`8.0`, `8.6`). */
  readonly computeCapabilities: readonly string[];
  /** First CUDA toolkit (minor) whose nvcc targets each compute capability. */
  readonly minCuda: Readonly<Record<string, string>>;
  /** Last CUDA major that compiles for it (`12` for Maxwell, Pascal and Volta); absent when still supported. */
  readonly lastCudaMajor?: number;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
  readonly note?: string;
}

/** A GPU model and its compute capability. */
export interface GpuModel {
  /** The names it is known by, the first being canonical (`H100`). */
  readonly names: readonly string[];
  readonly computeCapability: string;
  readonly sources: readonly string[];
}

export interface GpuTable extends DataTable {
  readonly architectures: readonly GpuArchitecture[];
  readonly models: readonly GpuModel[];
}

/** Pinned tool images the building blocks use. */
export interface ToolTable extends DataTable {
  /** `ghcr.io/astral-sh/uv` tag `withUv` copies `uv` and `uvx` from. */
  readonly uv: { readonly image: string; readonly tag: string; readonly confidence: Confidence; readonly sources: readonly string[] };
}
