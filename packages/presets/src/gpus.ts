// Target GPUs as users write them: a model (`H100`, `RTX 4090`, `NVIDIA A10G`), an architecture (`Hopper`,
// `ampere`), or a compute capability (`9.0`, `sm_90`, `sm90`).


/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion --
   String() on typed inputs on purpose: JavaScript callers and definitions loaded at run time are not type-checked. */

import { architectureOf } from "./compat.ts";
import { gpuTable } from "./data/gpus.ts";
import { compareVersions } from "./versions.ts";

/** A target GPU, resolved. */
export interface TargetGpu {
  /** As given. */
  readonly spec: string;
  /** Canonical name: the model (`H100`), the architecture (`Hopper`) or `sm_90`. */
  readonly name: string;
  /** The compute capabilities it stands for (one for a model, every non-Jetson one for an architecture). */
  readonly computeCapabilities: readonly string[];
  readonly architecture: string;
}

const JETSON_ONLY: ReadonlySet<string> = new Set(
  gpuTable.models.filter((model) => model.names.every((name) => name.startsWith("Jetson"))).map((model) => model.computeCapability),
);

const normalize = (text: string): string =>
  text
    .toLowerCase()
    .replace(/\b(?:nvidia|geforce|tesla)\b/g, "")
    .replace(/\b\d+\s*gb\b|\b(?:sxm\d*|pcie|nvl\d*)\b/g, "")
    .replace(/[\s_-]+/g, "");

/** Resolves one GPU spec; undefined when it names nothing known. */
export function resolveGpu(spec: string): TargetGpu | undefined {
  const text = String(spec).trim();
  const sm = /^(?:sm_?|compute_?)(\d+)(\d)$/i.exec(text);
  const dotted = /^(\d+)\.(\d)$/.exec(text);
  const numeric = sm ?? dotted;
  if (numeric) {
    const computeCapability = `${Number(numeric[1])}.${numeric[2] ?? ""}`;
    const architecture = architectureOf(computeCapability);
    if (architecture === undefined) return undefined;
    return { spec: text, name: `sm_${computeCapability.replace(".", "")}`, computeCapabilities: [computeCapability], architecture: architecture.name };
  }
  const key = normalize(text);
  if (key === "") return undefined;
  const model = gpuTable.models.find((row) => row.names.some((name) => normalize(name) === key));
  if (model) {
    const name = model.names.find((candidate) => normalize(candidate) === key) ?? text;
    const architecture = architectureOf(model.computeCapability);
    return { spec: text, name, computeCapabilities: [model.computeCapability], architecture: architecture?.name ?? "unknown" };
  }
  const family = gpuTable.architectures.find((arch) => normalize(arch.name) === key);
  if (family) {
    const computeCapabilities = family.computeCapabilities.filter((cc) => !JETSON_ONLY.has(cc));
    return { spec: text, name: family.name, computeCapabilities, architecture: family.name };
  }
  return undefined;
}

const MIN_CUDA: ReadonlyMap<string, string> = new Map(gpuTable.architectures.flatMap((arch) => Object.entries(arch.minCuda)));

/**
 * `TORCH_CUDA_ARCH_LIST` for a set of target GPUs: their compute capabilities, ascending, `;`-separated. With the
 * CUDA toolkit version, a compute capability its nvcc cannot target is replaced by the highest lower one of the same
 * major that the torch build carries (a kernel for 8.6 runs on 8.9), so the list always compiles.
 */
export function archListFor(gpus: readonly TargetGpu[], cuda?: string, buildArchs: readonly string[] = []): string {
  const targets = gpus.flatMap((gpu) => gpu.computeCapabilities).map((cc) => {
    const floor = MIN_CUDA.get(cc);
    if (cuda === undefined || floor === undefined || compareVersions(cuda, floor) >= 0) return cc;
    const [major] = cc.split(".");
    const lower = buildArchs
      .map((arch) => arch.replace(/\+PTX$/, ""))
      .filter((arch) => arch.split(".")[0] === major && compareVersions(arch, cc) < 0)
      .sort(compareVersions)
      .at(-1);
    return lower ?? cc;
  });
  return [...new Set(targets)].sort(compareVersions).join(";");
}

/** How a GPU reads in messages: `B200 (Blackwell, compute capability 10.0)`. */
export function describeGpu(gpu: TargetGpu): string {
  const ccs = gpu.computeCapabilities.join(", ");
  if (gpu.name.startsWith("sm_")) return `${gpu.name} (${gpu.architecture}, compute capability ${ccs})`;
  if (gpu.name === gpu.architecture) return `${gpu.name} (compute capability ${ccs})`;
  return `${gpu.name} (${gpu.architecture}, compute capability ${ccs})`;
}
