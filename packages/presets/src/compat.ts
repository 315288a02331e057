// Queries over the compatibility tables (./data): the only module that reads them, so the solver, the building
// blocks and the lint rule agree on what a row means.

import { cudaImageTable } from "./data/cuda-images.ts";
import { driverTable } from "./data/drivers.ts";
import { gpuTable } from "./data/gpus.ts";
import { torchTable } from "./data/torch.ts";
import type {
  CudaFlavor,
  CudaImageRow,
  GpuArchitecture,
  TorchIndexBuild,
  TorchRelease,
  TorchSeries,
  UbuntuRelease,
} from "./data/types.ts";
import { compareVersions, cudaForIndex, minorOf } from "./versions.ts";

export const CUDA_FLAVORS: readonly CudaFlavor[] = ["base", "runtime", "devel", "cudnn-runtime", "cudnn-devel"];

/** A torch release with its series. */
export interface ReleaseEntry {
  readonly release: TorchRelease;
  readonly series: TorchSeries;
}

/** Every torch release, oldest first. */
export const torchReleases: readonly ReleaseEntry[] = torchTable.series
  .flatMap((series) => series.releases.map((release) => ({ release, series })))
  .sort((a, b) => compareVersions(a.release.torch, b.release.torch));

/** The series a torch version belongs to. */
export function seriesOf(torch: string): TorchSeries | undefined {
  const series = minorOf(torch);
  return torchTable.series.find((row) => row.series === series);
}

/** Every CUDA minor some torch build or `nvidia/cuda` image exists for, ascending. */
export const knownCudaMinors: readonly string[] = [
  ...new Set([
    ...cudaImageTable.images.map((row) => row.cuda),
    ...torchTable.series.flatMap((series) => series.builds.flatMap((build) => cudaForIndex(build.index) ?? [])),
  ]),
].sort(compareVersions);

/**
 * Where a CUDA minor sits among the known ones: its index, or a half step before the next known one, so that
 * "nearest" counts releases, not version arithmetic (12.6 and 12.8 are equally near 12.7).
 */
export function cudaPosition(cuda: string): number {
  const index = knownCudaMinors.indexOf(cuda);
  if (index !== -1) return index;
  const next = knownCudaMinors.findIndex((minor) => compareVersions(minor, cuda) > 0);
  return (next === -1 ? knownCudaMinors.length : next) - 0.5;
}

export const ubuntuReleases: readonly UbuntuRelease[] = [...cudaImageTable.ubuntu].sort((a, b) =>
  compareVersions(a.version, b.version),
);

export function ubuntuRelease(version: string): UbuntuRelease | undefined {
  return ubuntuReleases.find((release) => release.version === version);
}

/** The `nvidia/cuda` rows of a CUDA minor (all Ubuntu releases and flavors). */
export function cudaImageRows(cuda: string): CudaImageRow[] {
  return cudaImageTable.images.filter((row) => row.cuda === cuda);
}

/** The row that has `flavor` for (cuda, ubuntu); a supported row wins over an unsupported one. */
export function cudaImageRow(cuda: string, ubuntu: string, flavor: CudaFlavor): CudaImageRow | undefined {
  const rows = cudaImageTable.images.filter((row) => row.cuda === cuda && row.ubuntu === ubuntu && row.flavors.includes(flavor));
  return rows.find((row) => row.listed === "supported") ?? rows[0];
}

/** `nvidia/cuda:12.8.2-base-ubuntu24.04`, `nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04`. */
export function cudaImageReference(row: CudaImageRow, flavor: CudaFlavor): string {
  const written = flavor.startsWith("cudnn-") ? flavor.replace("cudnn", row.cudnnInfix ?? "cudnn") : flavor;
  return `${cudaImageTable.repository}:${row.tag}-${written}-ubuntu${row.ubuntu}`;
}

/** The Ubuntu releases (newest first) that have a `flavor` image for a CUDA minor. */
export function ubuntusWith(cuda: string, flavor: CudaFlavor): string[] {
  const releases = new Set(cudaImageRows(cuda).filter((row) => row.flavors.includes(flavor)).map((row) => row.ubuntu));
  return [...releases].sort((a, b) => compareVersions(b, a));
}

/** The Linux driver a CUDA minor's GA toolkit needs. */
export function toolkitDriver(cuda: string): string | undefined {
  return driverTable.toolkits.find((row) => row.cuda === cuda)?.linux;
}

/** The driver floor of a CUDA major under minor-version compatibility. */
export function majorDriverFloor(cuda: string): string | undefined {
  const major = Number(cuda.split(".")[0]);
  return driverTable.majors.find((row) => row.major === major)?.linux;
}

/** The build of a series for an index. */
export function buildOf(series: TorchSeries, index: string): TorchIndexBuild | undefined {
  return series.builds.find((build) => build.index === index);
}

/** The architecture a compute capability belongs to. */
export function architectureOf(computeCapability: string): GpuArchitecture | undefined {
  return gpuTable.architectures.find((arch) => arch.computeCapabilities.includes(computeCapability));
}

/**
 * Whether a build's arch list runs on a GPU: a kernel for X.y runs on X.z with z >= y; PTX for X.y (`X.y+PTX`)
 * is JIT-compiled for any GPU of compute capability X.y or newer.
 */
export function archsCover(archs: readonly string[], computeCapability: string): boolean {
  const [major = "", minor = ""] = computeCapability.split(".");
  return archs.some((entry) => {
    const ptx = entry.endsWith("+PTX");
    const arch = ptx ? entry.slice(0, -4) : entry;
    if (ptx && compareVersions(arch, computeCapability) <= 0) return true;
    const [archMajor = "", archMinor = ""] = arch.split(".");
    return archMajor === major && Number(archMinor) <= Number(minor);
  });
}
