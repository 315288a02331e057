// `nvidia/cuda` references: reading one (`parseCudaImage`), choosing one from the table (`cudaImage`), and the
// `cudaBase` building block that starts an image from one.


/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion --
   String() on typed inputs on purpose: JavaScript callers and definitions loaded at run time are not type-checked. */

import { ValidationError } from "@chutes/image-core";
import type { ImageTransform } from "@chutes/image-core";
import { CUDA_FLAVORS, cudaImageReference, cudaImageRow, cudaImageRows, cudaPosition, knownCudaMinors, ubuntusWith } from "./compat.ts";
import type { CudaFlavor } from "./data/types.ts";
import type { TorchResolution } from "./resolve.ts";
import { compareVersions, orList } from "./versions.ts";

/** What an `nvidia/cuda` reference says. */
export interface CudaImageInfo {
  /** CUDA minor (`12.8`). */
  readonly cuda: string;
  /** The version in the tag (`12.8.2`, or `11.8` for a short tag). */
  readonly version: string;
  readonly flavor: CudaFlavor;
  /** `24.04`; absent when the tag names another OS or none. */
  readonly ubuntu?: string;
}

const REFERENCE = /^(?:(?:docker\.io|registry-1\.docker\.io|nvcr\.io)\/)?nvidia\/cuda:([^@\s]+)(?:@sha256:[0-9a-f]{64})?$/;
const TAG = /^(\d+\.\d+)((?:\.\d+)?)-(base|runtime|devel|cudnn\d*-runtime|cudnn\d*-devel)(?:-([a-z]+)(\d+(?:\.\d+)?))?$/;

/** Reads an `nvidia/cuda:<version>-<flavor>[-<os>]` reference; undefined for anything else. */
export function parseCudaImage(reference: string): CudaImageInfo | undefined {
  const tag = REFERENCE.exec(reference.trim())?.[1];
  const match = tag === undefined ? null : TAG.exec(tag);
  if (!match) return undefined;
  const [, minor = "", patch = "", flavorText = "", os, osVersion] = match;
  const flavor = flavorText.replace(/^cudnn\d*-/, "cudnn-") as CudaFlavor;
  return { cuda: minor, version: `${minor}${patch}`, flavor, ...(os === "ubuntu" && osVersion !== undefined ? { ubuntu: osVersion } : {}) };
}

/** What `cudaImage` and `cudaBase` take. */
export interface CudaImageOptions {
  /** CUDA minor (`12.8`); a patch version (`12.8.1`) is accepted and its minor used. */
  readonly cuda: string;
  /** Default: the newest Ubuntu release that has the flavor. */
  readonly ubuntu?: string;
  /** Default `base`. */
  readonly flavor?: CudaFlavor;
}

/**
 * The `nvidia/cuda` reference for a CUDA minor, Ubuntu release and flavor, from the table. Throws a
 * `ValidationError` (`cuda-unsupported`, `ubuntu-unsupported`, `cuda-image-unavailable`) naming what exists.
 */
export function cudaImage(options: CudaImageOptions): string {
  const method = "cudaImage";
  const flavor = options.flavor ?? "base";
  const cuda = /^(\d+\.\d+)(?:\.\d+)?$/.exec(String(options.cuda))?.[1];
  const fail = (code: string, field: string, value: unknown, message: string): never => {
    throw new ValidationError([{ code, severity: "error", method, path: [field], value, message }]);
  };
  if (!CUDA_FLAVORS.includes(flavor)) {
    fail("invalid-flavor", "flavor", options.flavor, `flavor "${String(options.flavor)}" is not an nvidia/cuda flavor; use ${orList(CUDA_FLAVORS)}`);
  }
  if (cuda === undefined || cudaImageRows(cuda).length === 0) {
    const near = nearestMinors(cuda ?? "0.0").slice(0, 3);
    return fail("cuda-unsupported", "cuda", options.cuda, `the table has no nvidia/cuda images for CUDA ${String(options.cuda)}; use ${orList(near)}`);
  }
  const ubuntus = ubuntusWith(cuda, flavor);
  if (ubuntus.length === 0) {
    const flavors = CUDA_FLAVORS.filter((f) => ubuntusWith(cuda, f).length > 0);
    return fail("cuda-image-unavailable", "flavor", options.flavor, `nvidia/cuda ${cuda} has no ${flavor} image; use flavor ${orList(flavors)}`);
  }
  const ubuntu = options.ubuntu ?? ubuntus[0] ?? "";
  const row = cudaImageRow(cuda, ubuntu, flavor);
  if (row === undefined) {
    const others = CUDA_FLAVORS.filter((f) => f !== flavor && ubuntusWith(cuda, f).includes(ubuntu));
    if (others.length > 0) {
      return fail(
        "cuda-image-unavailable",
        "flavor",
        options.flavor,
        `nvidia/cuda ${cuda} has no ${flavor} image for ubuntu ${ubuntu}; use flavor ${orList(others)}, or ubuntu ${orList(ubuntus)}`,
      );
    }
    return fail("ubuntu-unsupported", "ubuntu", options.ubuntu, `nvidia/cuda ${cuda} has no ${flavor} images for ubuntu ${ubuntu}; use ubuntu ${orList(ubuntus)}`);
  }
  return cudaImageReference(row, flavor);
}

/**
 * Starts from an `nvidia/cuda` image: `image.with(cudaBase({ cuda: "12.8", ubuntu: "24.04" }))`, or from a
 * resolution's base image: `image.with(cudaBase(resolveTorch({ torch: "2.7.1" })))`. The default flavor is `base`
 * (CUDA runtime only, no cuBLAS/cuDNN): the torch wheels bring their own CUDA libraries; see `cudaWheelsRule`.
 */
export function cudaBase(options: CudaImageOptions | TorchResolution): ImageTransform {
  const reference = "baseImage" in options ? options.baseImage : cudaImage(options);
  return (image) => image.fromBase(reference);
}

function nearestMinors(cuda: string): string[] {
  const target = cudaPosition(cuda);
  return knownCudaMinors
    .filter((minor) => cudaImageRows(minor).length > 0)
    .sort((a, b) => Math.abs(cudaPosition(a) - target) - Math.abs(cudaPosition(b) - target) || compareVersions(b, a));
}
