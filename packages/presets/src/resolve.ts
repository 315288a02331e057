// resolveTorch: from a partial request (torch, CUDA, Python, target GPUs, image flavor, Ubuntu) to one consistent
// choice (base image, wheel index, exact pins, Python, arch list, minimum driver), or a ValidationError whose issues
// name each conflict and propose the nearest combinations that work. Deterministic: the same request always gives
// the same answer; defaults are the newest that fit.


/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion --
   String() on typed inputs on purpose: JavaScript callers and definitions loaded at run time are not type-checked. */

import { ValidationError } from "@chutes/image-core";
import type { Issue } from "@chutes/image-core";
import {
  CUDA_FLAVORS,
  archsCover,
  buildOf,
  cudaImageReference,
  cudaImageRow,
  cudaPosition,
  majorDriverFloor,
  toolkitDriver,
  torchReleases,
  ubuntuRelease,
  ubuntuReleases,
  ubuntusWith,
} from "./compat.ts";
import type { ReleaseEntry } from "./compat.ts";
import { torchTable } from "./data/torch.ts";
import type { Confidence, CudaFlavor, TorchIndexBuild, WheelIndex } from "./data/types.ts";
import { archListFor, describeGpu, resolveGpu } from "./gpus.ts";
import type { TargetGpu } from "./gpus.ts";
import { andList, compareVersions, cudaForIndex, indexForCuda, orList, rangeText } from "./versions.ts";

/** What to resolve; every field is optional. */
export interface TorchRequest {
  /** `2.7.1`, or a series (`2.7`) for its newest patch release. Default: the newest release that fits. */
  readonly torch?: string;
  /** `12.8`, `12.8.1`, `cu128`, or `cpu`. Default: the series' PyPI build if it fits, else the newest that does. */
  readonly cuda?: string;
  /** `3.12`. Default: the Ubuntu release's own Python when torch supports it. */
  readonly python?: string;
  /** Target GPUs: models (`H100`), architectures (`Hopper`) or compute capabilities (`9.0`, `sm_90`). */
  readonly gpus?: readonly string[];
  /** `nvidia/cuda` flavor of the base image. Default `base`: the torch wheels bring their own CUDA libraries. */
  readonly flavor?: CudaFlavor;
  /** `22.04`. Default: the newest release whose Python torch supports, else the newest. */
  readonly ubuntu?: string;
}

/** One consistent choice. */
export interface TorchResolution {
  /** `nvidia/cuda:12.8.2-base-ubuntu24.04`, or `ubuntu:24.04` for CPU wheels. */
  readonly baseImage: string;
  /** `https://download.pytorch.org/whl/cu128`. */
  readonly wheelIndex: string;
  readonly index: WheelIndex;
  readonly pins: { readonly torch: string; readonly torchvision: string; readonly torchaudio: string };
  /** Python minor version (`3.12`). */
  readonly python: string;
  /** `system`: the Ubuntu release's python3; `uv`: a uv-managed Python (see `withUv`). */
  readonly pythonSource: "system" | "uv";
  /** CUDA minor of the wheels and the base image (`12.8`), or null for CPU wheels. */
  readonly cuda: string | null;
  readonly ubuntu: string;
  /** Null for CPU wheels. */
  readonly flavor: CudaFlavor | null;
  /** The resolved target GPUs (empty when none were given). */
  readonly gpus: readonly TargetGpu[];
  /**
   * `TORCH_CUDA_ARCH_LIST` for compiling extensions: the target GPUs' compute capabilities, or the torch build's own
   * list when no GPUs were given; null for CPU wheels.
   */
  readonly archList: string | null;
  /** Linux driver the base image asks for (its CUDA minor's GA driver); null for CPU. */
  readonly minDriver: string | null;
  /** Driver floor of the CUDA major under minor-version compatibility; null for CPU. */
  readonly minDriverMinorCompat: string | null;
  /** `unconfirmed` when a table fact the choice rests on is marked so. */
  readonly confidence: Confidence;
  /** Which facts are unconfirmed, in words. */
  readonly unconfirmed: readonly string[];
}

/** Where the wheels of an index live. */
export const WHEEL_INDEX_BASE = "https://download.pytorch.org/whl/";

const METHOD = "resolveTorch";

interface Candidate {
  readonly entry: ReleaseEntry;
  readonly build: TorchIndexBuild;
}

const torchOf = (candidate: Candidate): string => candidate.entry.release.torch;

const issue = (code: string, field: string, value: unknown, message: string): Issue => ({
  code,
  severity: "error",
  method: METHOD,
  path: [field],
  value,
  message,
});

/**
 * Resolves a consistent torch / CUDA / Python / Ubuntu choice. Throws a `ValidationError` listing every conflict,
 * each with a stable `code` (`invalid-torch-version`, `torch-unknown`, `invalid-cuda-version`,
 * `torch-cuda-mismatch`, `cuda-unsupported`, `invalid-python-version`, `python-unsupported`, `unknown-gpu`,
 * `gpu-arch-unsupported`, `invalid-flavor`, `invalid-ubuntu-version`, `ubuntu-unsupported`,
 * `cuda-image-unavailable`) and a message proposing the nearest valid combinations.
 */
export function resolveTorch(request: TorchRequest = {}): TorchResolution {
  const issues: Issue[] = [];
  const torchSpec = request.torch === undefined ? undefined : String(request.torch).trim();
  const cudaSpec = request.cuda === undefined ? undefined : String(request.cuda).trim();
  const pythonSpec = request.python === undefined ? undefined : String(request.python).trim();
  const ubuntuSpec = request.ubuntu === undefined ? undefined : String(request.ubuntu).trim();

  // 1. Shapes.
  if (torchSpec !== undefined && !/^2\.\d+(?:\.\d+)?$/.test(torchSpec)) {
    issues.push(issue("invalid-torch-version", "torch", request.torch, `torch version "${torchSpec}" is not valid; give "2.X.Y" or a series "2.X", e.g. "2.7.1"`));
  }
  const index = cudaSpec === undefined ? undefined : parseIndex(cudaSpec);
  if (cudaSpec !== undefined && index === undefined) {
    issues.push(issue("invalid-cuda-version", "cuda", request.cuda, `CUDA version "${cudaSpec}" is not valid; give "12.8", "cu128" or "cpu"`));
  }
  const python = pythonSpec === undefined ? undefined : /^3\.(\d+)(?:\.\d+)?$/.exec(pythonSpec);
  if (pythonSpec !== undefined && !python) {
    issues.push(issue("invalid-python-version", "python", request.python, `Python version "${pythonSpec}" is not valid; give "3.X", e.g. "3.12"`));
  }
  const pythonMinor = python ? `3.${python[1] ?? ""}` : undefined;
  const gpus: TargetGpu[] = [];
  for (const spec of request.gpus ?? []) {
    const gpu = resolveGpu(spec);
    if (gpu) gpus.push(gpu);
    else {
      issues.push(
        issue(
          "unknown-gpu",
          "gpus",
          spec,
          `unknown GPU "${String(spec)}"; give a model ("H100", "L4", "RTX 4090"), an architecture ("Hopper", "Ampere") or a compute capability ("9.0", "sm_90")`,
        ),
      );
    }
  }
  const flavor = request.flavor ?? "base";
  if (!CUDA_FLAVORS.includes(flavor)) {
    issues.push(issue("invalid-flavor", "flavor", request.flavor, `flavor "${String(request.flavor)}" is not an nvidia/cuda flavor; use ${orList(CUDA_FLAVORS)}`));
  }
  if (ubuntuSpec !== undefined && !/^\d{2}\.\d{2}$/.test(ubuntuSpec)) {
    issues.push(issue("invalid-ubuntu-version", "ubuntu", request.ubuntu, `Ubuntu version "${ubuntuSpec}" is not valid; give "24.04", "22.04" or "20.04"`));
  }
  if (issues.length > 0) throw new ValidationError(issues);

  // 2. torch.
  // CPU builds only when asked for: a GPU preset never falls back to CPU wheels silently.
  let candidates: Candidate[] = torchReleases.flatMap((entry) =>
    entry.series.builds.filter((build) => index === "cpu" || build.index !== "cpu").map((build) => ({ entry, build })),
  );
  if (torchSpec !== undefined) {
    const matching = candidates.filter((c) => c.entry.release.torch === torchSpec || c.entry.series.series === torchSpec);
    if (matching.length === 0) {
      const newest = torchReleases.at(-1)?.release.torch ?? "";
      const oldest = torchReleases[0]?.release.torch ?? "";
      const near = nearestTorch(torchSpec);
      throw new ValidationError([
        issue(
          "torch-unknown",
          "torch",
          request.torch,
          `torch ${torchSpec} is not in the compatibility table (torch ${oldest} to ${newest}, as of ${asOf()}); use ${orList(near)}`,
        ),
      ]);
    }
    candidates = matching;
  }
  const torchLabel = (list: readonly Candidate[]): string => {
    const versions = [...new Set(list.map(torchOf))];
    return versions.length === 1 ? `torch ${versions[0] ?? ""}` : `torch ${torchSpec ?? ""}`;
  };

  // 3. CUDA build.
  if (index !== undefined) {
    const withIndex = candidates.filter((c) => c.build.index === index);
    if (withIndex.length === 0) {
      const available = [...new Set(candidates.map((c) => c.build.index))].filter((i) => index === "cpu" || i !== "cpu");
      if (torchSpec !== undefined) {
        issues.push(
          issue(
            "torch-cuda-mismatch",
            "cuda",
            request.cuda,
            `${torchLabel(candidates)} has no ${index} build; use ${orList(nearestIndexes(index, available))}`,
          ),
        );
      } else {
        const cudaText = index === "cpu" ? "CPU" : `CUDA ${cudaForIndex(index) ?? ""}`;
        issues.push(
          issue(
            "cuda-unsupported",
            "cuda",
            request.cuda,
            `no torch release in the table has a ${index} build (${cudaText}); use ${orList(nearestIndexes(index, available).slice(0, 3))}`,
          ),
        );
      }
    } else {
      candidates = withIndex;
    }
  }

  // 4. Python.
  if (pythonMinor !== undefined) {
    const supporting = candidates.filter((c) => c.entry.series.python.includes(pythonMinor));
    if (supporting.length === 0) {
      issues.push(issue("python-unsupported", "python", request.python, pythonMessage(pythonMinor, candidates, torchSpec, index)));
    } else {
      candidates = supporting;
    }
  }

  // 5. GPUs.
  if (gpus.length > 0) {
    const covering = candidates.filter((c) => covers(c.build, gpus));
    if (covering.length === 0) {
      issues.push(issue("gpu-arch-unsupported", "gpus", request.gpus, gpuMessage(gpus, candidates, torchSpec, pythonMinor)));
    } else {
      candidates = covering;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);

  // 6. An nvidia/cuda image of the flavor (and Ubuntu release, when given) must exist for the build's CUDA.
  const imageUbuntus = (c: Candidate): string[] => {
    const cuda = cudaForIndex(c.build.index);
    return cuda === undefined ? ubuntuReleases.map((u) => u.version).reverse() : ubuntusWith(cuda, flavor);
  };
  const withImage = candidates.filter((c) => {
    const ubuntus = imageUbuntus(c);
    return ubuntuSpec === undefined ? ubuntus.length > 0 : ubuntus.includes(ubuntuSpec);
  });
  if (withImage.length === 0) throw new ValidationError([imageIssue(candidates, flavor, ubuntuSpec, request)]);
  candidates = withImage;

  // 7. Pick: the newest release (the newest confirmed one unless a version was asked for), then its PyPI build if
  // it fits, else its newest CUDA build; CPU only on request.
  const confirmed = candidates.filter((c) => c.entry.release.confidence === "confirmed");
  const pickFrom = torchSpec === undefined && confirmed.length > 0 ? confirmed : candidates;
  const newest = pickFrom.reduce((best, c) => (compareVersions(torchOf(c), torchOf(best)) > 0 ? c : best));
  const builds = candidates.filter((c) => torchOf(c) === torchOf(newest));
  const gpuBuilds = builds.filter((c) => c.build.index !== "cpu");
  const pool = gpuBuilds.length > 0 ? gpuBuilds : builds;
  const chosen =
    pool.find((c) => c.build.index === c.entry.series.pypiDefault) ??
    pool.reduce((best, c) => (compareVersions(cudaForIndex(c.build.index) ?? "0", cudaForIndex(best.build.index) ?? "0") > 0 ? c : best));
  const { release, series } = chosen.entry;
  const cuda = cudaForIndex(chosen.build.index);

  // 8. Ubuntu and Python: the Ubuntu release whose python3 is the asked-for (or a supported) one, newest first;
  // otherwise the newest release with a uv-managed Python.
  const ubuntuChoices = ubuntuSpec === undefined ? imageUbuntus(chosen) : [ubuntuSpec];
  const systemPython = (version: string): string => ubuntuRelease(version)?.python ?? "";
  let ubuntu: string;
  let pythonChoice: string;
  if (pythonMinor !== undefined) {
    ubuntu = ubuntuChoices.find((u) => systemPython(u) === pythonMinor) ?? ubuntuChoices[0] ?? "";
    pythonChoice = pythonMinor;
  } else {
    ubuntu = ubuntuChoices.find((u) => series.python.includes(systemPython(u))) ?? ubuntuChoices[0] ?? "";
    pythonChoice = series.python.includes(systemPython(ubuntu)) ? systemPython(ubuntu) : (series.python.at(-1) ?? "");
  }
  const pythonSource = systemPython(ubuntu) === pythonChoice ? "system" : "uv";

  let baseImage = `ubuntu:${ubuntu}`;
  const unconfirmed: string[] = [];
  if (release.confidence === "unconfirmed") unconfirmed.push(`pins of torch ${release.torch}${release.note ? `: ${release.note}` : ""}`);
  if (chosen.build.confidence === "unconfirmed") {
    unconfirmed.push(`the ${chosen.build.index} build of torch ${series.series}${chosen.build.note ? `: ${chosen.build.note}` : ""}`);
  }
  if (cuda !== undefined) {
    const row = cudaImageRow(cuda, ubuntu, flavor);
    if (row) {
      baseImage = cudaImageReference(row, flavor);
      if (row.confidence === "unconfirmed") unconfirmed.push(`image ${baseImage}`);
    }
  }

  return {
    baseImage,
    wheelIndex: `${WHEEL_INDEX_BASE}${chosen.build.index}`,
    index: chosen.build.index,
    pins: { torch: release.torch, torchvision: release.torchvision, torchaudio: release.torchaudio },
    python: pythonChoice,
    pythonSource,
    cuda: cuda ?? null,
    ubuntu,
    flavor: cuda === undefined ? null : flavor,
    gpus,
    archList: cuda === undefined ? null : gpus.length > 0 ? archListFor(gpus, cuda, chosen.build.archs) : chosen.build.archs.join(";"),
    minDriver: cuda === undefined ? null : (toolkitDriver(cuda) ?? null),
    minDriverMinorCompat: cuda === undefined ? null : (majorDriverFloor(cuda) ?? null),
    confidence: unconfirmed.length > 0 ? "unconfirmed" : "confirmed",
    unconfirmed,
  };
}

function asOf(): string {
  return torchTable.asOf;
}

/** `12.8`, `12.8.1`, `cu128`, `CUDA 12.8`, `cpu` -> the wheel index; undefined when malformed. */
function parseIndex(text: string): WheelIndex | undefined {
  const lower = text.toLowerCase().replace(/^cuda\s*/, "");
  if (lower === "cpu") return "cpu";
  if (/^cu\d{3}$/.test(lower)) return lower as WheelIndex;
  const match = /^(\d{2})\.(\d)(?:\.\d+)?$/.exec(lower);
  return match ? indexForCuda(`${match[1] ?? ""}.${match[2] ?? ""}`) : undefined;
}

/** Indexes ordered by distance from `wanted` among all known CUDA minors (CPU last); ties prefer the newer. */
function nearestIndexes(wanted: WheelIndex, available: readonly WheelIndex[]): WheelIndex[] {
  const position = (index: WheelIndex): number => {
    const cuda = cudaForIndex(index);
    return cuda === undefined ? Number.POSITIVE_INFINITY : cudaPosition(cuda);
  };
  const target = position(wanted);
  return [...new Set(available)].sort((a, b) => {
    const da = target === Number.POSITIVE_INFINITY ? -position(a) : Math.abs(position(a) - target);
    const db = target === Number.POSITIVE_INFINITY ? -position(b) : Math.abs(position(b) - target);
    return da - db || position(b) - position(a);
  });
}

/** The releases nearest to an unknown version: the newest of its series, or the closest series on each side. */
function nearestTorch(spec: string): string[] {
  const all = torchReleases.map((entry) => entry.release.torch);
  const below = all.filter((v) => compareVersions(v, spec) < 0).at(-1);
  const above = all.find((v) => compareVersions(v, spec) > 0);
  return [below, above].filter((v): v is string => v !== undefined);
}

function covers(build: TorchIndexBuild, gpus: readonly TargetGpu[]): boolean {
  return gpus.every((gpu) => gpu.computeCapabilities.every((cc) => archsCover(build.archs, cc)));
}

function pythonMessage(python: string, candidates: readonly Candidate[], torchSpec: string | undefined, index: WheelIndex | undefined): string {
  const withIndex = index === undefined ? "" : ` with a ${index} build`;
  const others = torchReleases.filter(
    (entry) => entry.series.python.includes(python) && (index === undefined || buildOf(entry.series, index) !== undefined),
  );
  const asked = candidates[0]?.entry.release.torch;
  const position = (torch: string): number => torchReleases.findIndex((entry) => entry.release.torch === torch);
  const alternative =
    asked === undefined || torchSpec === undefined
      ? others.at(-1)
      : [...others].sort((a, b) => Math.abs(position(a.release.torch) - position(asked)) - Math.abs(position(b.release.torch) - position(asked)) || position(b.release.torch) - position(a.release.torch))[0];
  const supported = [...new Set(candidates.flatMap((c) => c.entry.series.python))].sort(compareVersions);
  if (torchSpec === undefined || supported.length === 0) {
    return `no torch release in the table${withIndex} supports Python ${python}; use Python ${rangeText(supported)}`;
  }
  const nearest = compareVersions(python, supported[0] ?? python) < 0 ? supported[0] : supported.at(-1);
  const suggestion = alternative === undefined ? "" : `, or torch ${alternative.release.torch}${withIndex} (the nearest release for Python ${python})`;
  return `${candidatesLabel(candidates)} supports Python ${rangeText(supported)}, not ${python}; use Python ${nearest ?? ""}${suggestion}`;
}

function candidatesLabel(candidates: readonly Candidate[]): string {
  const versions = [...new Set(candidates.map(torchOf))].sort(compareVersions);
  return versions.length === 1 ? `torch ${versions[0] ?? ""}` : `torch ${versions[0] ?? ""} to ${versions.at(-1) ?? ""}`;
}

function gpuMessage(gpus: readonly TargetGpu[], candidates: readonly Candidate[], torchSpec: string | undefined, python: string | undefined): string {
  const missing = gpus.filter((gpu) => !candidates.some((c) => covers(c.build, [gpu])));
  const described = andList((missing.length > 0 ? missing : gpus).map(describeGpu));
  const indexes = [...new Set(candidates.map((c) => c.build.index))];
  const what = `${candidatesLabel(candidates)} (${indexes.join(", ")})`;
  // The same torch with another build first, then the oldest release that has one.
  const everywhere = torchReleases.flatMap((entry) =>
    entry.series.builds
      .filter((build) => covers(build, gpus) && (python === undefined || entry.series.python.includes(python)))
      .map((build) => ({ entry, build })),
  );
  const sameTorch = everywhere.filter((c) => torchSpec !== undefined && (c.entry.release.torch === torchSpec || c.entry.series.series === torchSpec));
  if (sameTorch.length > 0) {
    const builds = [...new Set(sameTorch.map((c) => c.build.index))];
    return `${what} has no kernels for ${described}; use ${orList(builds)}`;
  }
  const first = everywhere[0];
  if (first === undefined) {
    if (gpus.length === 1) return `no torch build in the table has kernels for ${andList(gpus.map(describeGpu))}`;
    return `no torch build in the table has kernels for ${andList(gpus.map(describeGpu))} together; target fewer GPU generations per image`;
  }
  const builds = [...new Set(everywhere.map((c) => c.build.index))].sort((a, b) =>
    compareVersions(cudaForIndex(a) ?? "0", cudaForIndex(b) ?? "0"),
  );
  return `${what} has no kernels for ${described}; use torch ${torchOf(first)} or newer with ${orList(builds)}`;
}

/** Why no candidate has a base image for the flavor / Ubuntu release asked for, and what would work. */
function imageIssue(candidates: readonly Candidate[], flavor: CudaFlavor, ubuntu: string | undefined, request: TorchRequest): Issue {
  const cudas = [...new Set(candidates.flatMap((c) => cudaForIndex(c.build.index) ?? []))].sort(compareVersions);
  const single = cudas.length === 1 ? cudas[0] : undefined;
  const subject = single === undefined ? `${candidatesLabel(candidates)} (${orList(cudas.map((c) => indexForCuda(c)))})` : `nvidia/cuda ${single}`;
  if (ubuntu === undefined) {
    const flavors = CUDA_FLAVORS.filter((f) => cudas.some((c) => ubuntusWith(c, f).length > 0));
    return issue("cuda-image-unavailable", "flavor", request.flavor, `${subject} has no ${flavor} image; use flavor ${orList(flavors)}`);
  }
  const ubuntus = [...new Set(cudas.flatMap((c) => ubuntusWith(c, flavor)))].sort((a, b) => compareVersions(b, a));
  const otherFlavors = CUDA_FLAVORS.filter((f) => f !== flavor && cudas.some((c) => ubuntusWith(c, f).includes(ubuntu)));
  if (otherFlavors.length > 0) {
    return issue(
      "cuda-image-unavailable",
      "flavor",
      request.flavor,
      `${subject} has no ${flavor} image for ubuntu ${ubuntu}; use flavor ${orList(otherFlavors)}, or ubuntu ${orList(ubuntus)}`,
    );
  }
  const others = torchReleases
    .flatMap((entry) => entry.series.builds.map((build) => ({ entry, build })))
    .filter((c) => {
      const cuda = cudaForIndex(c.build.index);
      return cuda !== undefined && ubuntusWith(cuda, flavor).includes(ubuntu);
    });
  const oldest = others[0];
  const alternative = oldest === undefined || single !== undefined ? "" : `, or torch ${torchOf(oldest)} or newer`;
  return issue(
    "ubuntu-unsupported",
    "ubuntu",
    request.ubuntu,
    `${subject} has no ${flavor} images for ubuntu ${ubuntu}; use ubuntu ${orList(ubuntus)}${alternative}`,
  );
}
