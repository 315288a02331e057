// `nvidia/cuda` image tags by CUDA minor, Ubuntu release and flavor, and the Python each Ubuntu release ships.
// Plain data: see ./types.ts.
//
// The tag lists are NVIDIA's doc/supported-tags.md and doc/unsupported-tags.md (read through a mirror of
// gitlab.com/nvidia/container-images/cuda). Every tag is `<full version>-<flavor>-ubuntu<release>`; there are no
// `11.8-runtime`-style short tags (the seed's `nvidia/cuda:11.8-devel-ubuntu22.04` does not resolve). One row per
// (CUDA minor, Ubuntu): the newest update release that is listed, with the flavors it has. Where the newest update
// has no cuDNN flavors (12.8.2), a second row gives the newest one that does (12.8.1, "unsupported": still
// published, no longer updated). cuDNN flavors are spelled `cudnn8` (CUDA 11.x to 12.2), `cudnn9` (12.3) and
// `cudnn` (12.4 and later). NVIDIA deletes tags six months after the driver branch they need reaches end of life
// (support-policy.md), so older rows may disappear: re-check them when updating `asOf`.

import type { CudaFlavor, CudaImageRow, CudaImageTable } from "./types.ts";

const ALL: readonly CudaFlavor[] = ["base", "runtime", "devel", "cudnn-runtime", "cudnn-devel"];
const NO_CUDNN: readonly CudaFlavor[] = ["base", "runtime", "devel"];
const CUDNN_ONLY: readonly CudaFlavor[] = ["cudnn-runtime", "cudnn-devel"];
const SUPPORTED = ["supported-tags"] as const;
const UNSUPPORTED = ["unsupported-tags"] as const;

function rows(
  cuda: string,
  tag: string,
  ubuntu: readonly string[],
  flavors: readonly CudaFlavor[],
  cudnnInfix: CudaImageRow["cudnnInfix"],
  listed: CudaImageRow["listed"] = "supported",
): CudaImageRow[] {
  return ubuntu.map((release) => ({
    cuda,
    tag,
    ubuntu: release,
    flavors,
    ...(cudnnInfix === undefined ? {} : { cudnnInfix }),
    listed,
    confidence: "confirmed",
    sources: listed === "supported" ? SUPPORTED : UNSUPPORTED,
  }));
}

export const cudaImageTable: CudaImageTable = {
  asOf: "2026-11-29",
  repository: "nvidia/cuda",
  sources: [
    {
      id: "supported-tags",
      url: "https://gitlab.com/nvidia/container-images/cuda/-/blob/master/doc/supported-tags.md",
      states:
        "Supported tags per OS and CUDA update (read through the mirror github.com/pranavmishra90/nvidia-container-images-cuda at 181367a6): ubuntu24.04 has 12.5.1 (no cuDNN), 12.6.3, 12.8.2 (no cuDNN), 12.9.1, 13.0.3, 13.1.2, 13.2.1; ubuntu22.04 has 11.7.1 to 13.2.1; ubuntu20.04 has 11.x to 12.9.1.",
    },
    {
      id: "unsupported-tags",
      url: "https://gitlab.com/nvidia/container-images/cuda/-/blob/master/doc/unsupported-tags.md",
      states: "Tags that still exist without updates, among them 12.8.1 with cudnn-runtime / cudnn-devel on ubuntu20.04, 22.04 and 24.04.",
    },
    {
      id: "support-policy",
      url: "https://gitlab.com/nvidia/container-images/cuda/-/blob/master/doc/support-policy.md",
      states:
        "Tags are deleted six months after the last supported Tesla Recommended Driver reaches end of life, or after a newer update release for the same CUDA version.",
    },
    {
      id: "short-tags-gone",
      url: "https://github.com/kokkos/kokkos/pull/5509",
      states: "'manifest for nvidia/cuda:11.0-devel not found': short major.minor tags no longer exist; use the full version.",
    },
    {
      id: "focal-python",
      url: "https://launchpad.net/ubuntu/focal/+package/python-is-python3",
      states: "Ubuntu 20.04 (focal) python-is-python3 3.8.2: the default python3 is 3.8.",
    },
    {
      id: "ubuntu-python-third-party",
      url: "https://github.com/search?type=code&q=%22Ubuntu+22.04+ships+Python+3.10%22",
      states: "Found by code search: many independent install guides state 'Ubuntu 22.04 ships Python 3.10 and Ubuntu 24.04 ships Python 3.12'.",
    },
    {
      id: "pep668-noble",
      url: "https://jsondevtools.org/errors/externally-managed-environment.html",
      states:
        "Ubuntu 23.04 first shipped the EXTERNALLY-MANAGED marker; Ubuntu 24.04 LTS (system Python 3.12) enforces it, so pip refuses to install outside a virtual environment.",
    },
  ],
  ubuntu: [
    { version: "20.04", codename: "focal", python: "3.8", externallyManaged: false, confidence: "confirmed", sources: ["focal-python"] },
    {
      version: "22.04",
      codename: "jammy",
      python: "3.10",
      externallyManaged: false,
      confidence: "confirmed",
      sources: ["ubuntu-python-third-party"],
    },
    {
      version: "24.04",
      codename: "noble",
      python: "3.12",
      externallyManaged: true,
      confidence: "confirmed",
      sources: ["pep668-noble", "ubuntu-python-third-party"],
    },
  ],
  images: [
    ...rows("11.7", "11.7.1", ["20.04", "22.04"], ALL, "cudnn8"),
    ...rows("11.8", "11.8.0", ["20.04", "22.04"], ALL, "cudnn8"),
    ...rows("12.0", "12.0.1", ["20.04", "22.04"], ALL, "cudnn8"),
    ...rows("12.1", "12.1.1", ["20.04", "22.04"], ALL, "cudnn8"),
    ...rows("12.2", "12.2.2", ["20.04", "22.04"], ALL, "cudnn8"),
    ...rows("12.3", "12.3.2", ["20.04", "22.04"], ALL, "cudnn9"),
    ...rows("12.4", "12.4.1", ["20.04", "22.04"], ALL, "cudnn"),
    ...rows("12.5", "12.5.1", ["20.04", "22.04"], ALL, "cudnn"),
    ...rows("12.5", "12.5.1", ["24.04"], NO_CUDNN, undefined),
    ...rows("12.6", "12.6.3", ["20.04", "22.04", "24.04"], ALL, "cudnn"),
    ...rows("12.8", "12.8.2", ["20.04", "22.04", "24.04"], NO_CUDNN, undefined),
    ...rows("12.8", "12.8.1", ["20.04", "22.04", "24.04"], CUDNN_ONLY, "cudnn", "unsupported"),
    ...rows("12.9", "12.9.1", ["20.04", "22.04", "24.04"], ALL, "cudnn"),
    ...rows("13.0", "13.0.3", ["22.04", "24.04"], ALL, "cudnn"),
    ...rows("13.1", "13.1.2", ["22.04", "24.04"], ALL, "cudnn"),
    ...rows("13.2", "13.2.1", ["22.04", "24.04"], ALL, "cudnn"),
  ],
};
