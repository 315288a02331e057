// PyTorch releases 2.0 to 2.14: the torchvision / torchaudio published with each, the wheel indexes
// (https://download.pytorch.org/whl/<index>) each series was built for, the compute capabilities those builds carry
// kernels for, the CUDA build PyPI serves, and the supported CPython versions. Plain data: see ./types.ts.
//
// How the rows were checked (see `sources`):
// - Series rows (Python range, CUDA builds) come from the release compatibility matrix in pytorch/pytorch
//   RELEASE.md; rows 2.13 and 2.14 were read from a 2026 copy of that file in a fork, so they are marked where it
//   matters.
// - Release rows (exact pins) come from pytorch.org's "previous versions" page where it was read (2.0.0-2.3.1,
//   2.6.0, 2.9.0, 2.9.1); torchaudio pins from the TorchAudio compatibility table (all releases; torch 2.11 and later
//   use torchaudio 2.11.0, built against the stable ABI). Other torchvision pins follow the 0.(minor + 15).patch
//   pattern and were seen in third-party pins; those are `unconfirmed` unless a wheel URL on the official index
//   was seen.
// - Arch lists come from PyTorch's CUDA support matrix (2.9 and later), the build script values quoted in issues
//   (2.8), and measured conda packages (2.5.1 to 2.7.0); earlier lists are `unconfirmed`.
// Known but not tabulated: torch 2.12.1's siblings beyond torchvision 0.27.1 (taken as unconfirmed below), and any
// 2.13/2.14 patch release.

import type { TorchTable } from "./types.ts";

const CU118_ARCHS = ["3.7", "5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"] as const;
const CU12_LEGACY_ARCHS = ["5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"] as const;
const CU128_WITH_VOLTA = ["7.0", "7.5", "8.0", "8.6", "9.0", "10.0", "12.0"] as const;
const CU128_TURING_UP = ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"] as const;
const CU13_ARCHS = ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0+PTX"] as const;

export const torchTable: TorchTable = {
  asOf: "2026-11-29",
  sources: [
    {
      id: "release-matrix",
      url: "https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix",
      states:
        "Per minor release: supported Python range and the stable / experimental CUDA builds (2.0: 11.7 + 11.8 ... 2.12 to 2.14: 12.6, 13.0, 13.2); and the CUDA support matrix of compute capabilities per CUDA build for 2.12-2.14.",
    },
    {
      id: "previous-versions",
      url: "https://pytorch.org/get-started/previous-versions/",
      states:
        "Exact pip commands per release: torch/torchvision/torchaudio pins and one --index-url per CUDA build (read for 2.0.0-2.3.1, 2.6.0, 2.9.0, 2.9.1); for 2.0.x the CUDA 11.7 build is the plain PyPI wheel.",
    },
    {
      id: "torchaudio-compat",
      url: "https://docs.pytorch.org/audio/2.11.0/installation.html",
      states:
        "TorchAudio compatibility matrix: torch 2.0.0 -> torchaudio 2.0.1, 2.0.1 -> 2.0.2, then equal versions up to 2.10; 'TorchAudio 2.11 is built against PyTorch's stable ABI and therefore supports PyTorch 2.11 and all later versions.'",
    },
    {
      id: "torchaudio-2.11.1",
      url: "https://github.com/pytorch/audio/releases/tag/v2.11.1",
      states: "TorchAudio 2.11.1 (Oct 2026) is compatible with PyTorch 2.11 and later and declares torch>=2.11.",
    },
    {
      id: "volta-drop-2.11",
      url: "https://github.com/pytorch/pytorch/pull/175253",
      states:
        "RELEASE.md diff: for 2.9 and 2.10 the 12.8.1 build covers Volta(7.0)-Blackwell(10.0, 12.0) and 13.0 covers Turing(7.5)-Blackwell(10.0, 12.0+PTX); for 2.11 Volta is dropped from 12.8.1, and 12.6.3 keeps Maxwell(5.0)-Hopper(9.0).",
    },
    {
      id: "build-script-2.8",
      url: "https://github.com/jhj0517/Whisper-WebUI/issues/653",
      states:
        "Quotes .ci/manywheel/build_cuda.sh: torch 2.8 + cu126 is built for 5.0;6.0;7.0;7.5;8.0;8.6;9.0 and 2.8 + cu128 for 7.0;7.5;8.0;8.6;9.0;10.0;12.0; only the 12.6 build keeps Maxwell/Pascal.",
    },
    {
      id: "conda-archs",
      url: "https://github.com/moi90/pytorch_compute_capabilities/blob/main/table.md",
      states:
        "Measured kernels of PyTorch 2.5.1-2.7.0 builds: cu118 sm_37-sm_90; cu121/cu124/cu126 sm_50-sm_90; 2.7.0 cu128 sm_75, sm_80, sm_86, sm_90, sm_100, sm_120.",
    },
    {
      id: "no-sm70-2.7.1-cu128",
      url: "https://github.com/EutropicAI/vs-playground/pull/59",
      states: "torch 2.7.1+cu128 does not support sm_70; 2.8.0+cu128 does.",
    },
    {
      id: "pypi-cuda13",
      url: "https://github.com/pytorch/pytorch/pull/177975",
      states:
        "'Move cuda stable 12.8->13.0' (March 2026), for release 2.11: the PyPI wheels become the CUDA 13.0 build.",
    },
    {
      id: "rfc-2.14",
      url: "https://github.com/pytorch/pytorch/issues/190355",
      states:
        "July 2026: CUDA_STABLE (the PyPI wheel) is 13.0; 12.6 is kept as the legacy build for Maxwell/Pascal/Volta; 13.2 is proposed as the 2.14 default.",
    },
    {
      id: "pyg-index",
      url: "https://data.pyg.org/whl/nightly/",
      states:
        "Third-party index of torch builds: 2.10.0 and 2.11.0 for cpu/cu126/cu128/cu130; 2.12.0, 2.12.1 and 2.13.0 for cpu/cu126/cu130/cu132.",
    },
    {
      id: "nixpkgs-torchvision",
      url: "https://github.com/NixOS/nixpkgs/blob/master/pkgs/development/python-modules/torchvision/binary-hashes.nix",
      states:
        "Hash-pinned wheel URLs on download.pytorch.org: torchvision 0.18.0/0.18.1 (cu121), 0.22.0/0.22.1 (cu128), 0.23.0 (cu128).",
    },
    {
      id: "wan2gp-install",
      url: "https://github.com/deepbeepmeep/Wan2GP/blob/main/docs/INSTALLATION.md",
      states: "pip install torch==2.10.0 torchvision==0.25.0 torchaudio==2.10.0 --index-url https://download.pytorch.org/whl/cu130",
    },
    {
      id: "third-party-pins",
      url: "https://github.com/search?type=code&q=%22torch%3D%3D2.12.0+torchvision%3D%3D0.27.0%22",
      states:
        "Found by code search, no single authoritative page: install commands in public repositories pairing torch 2.11.0/0.26.0, 2.12.0/0.27.0, 2.12.1/0.27.1, 2.13.0/0.28.0, 2.14.0/0.29.0 (several also pin torchaudio 2.11.0 with torch 2.12-2.14).",
    },
  ],
  series: [
    {
      series: "2.0",
      python: ["3.8", "3.9", "3.10", "3.11"],
      pythonExperimental: [],
      pypiDefault: "cu117",
      pypiDefaultConfidence: "confirmed",
      builds: [
        {
          index: "cu117",
          archs: ["3.7", "5.0", "6.0", "7.0", "7.5", "8.0", "8.6"],
          confidence: "unconfirmed",
          sources: ["release-matrix"],
          note: "CUDA 11.7 cannot target 9.0 (Hopper needs 11.8); the rest is taken from the cu118 list.",
        },
        { index: "cu118", archs: CU118_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["previous-versions"] },
      ],
      releases: [
        { torch: "2.0.0", torchvision: "0.15.1", torchaudio: "2.0.1", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.0.1", torchvision: "0.15.2", torchaudio: "2.0.2", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
      ],
      sources: ["release-matrix", "previous-versions"],
    },
    {
      series: "2.1",
      python: ["3.8", "3.9", "3.10", "3.11"],
      pythonExperimental: [],
      pypiDefault: "cu121",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cu121", archs: CU12_LEGACY_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["previous-versions"] },
      ],
      releases: [
        { torch: "2.1.0", torchvision: "0.16.0", torchaudio: "2.1.0", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.1.1", torchvision: "0.16.1", torchaudio: "2.1.1", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.1.2", torchvision: "0.16.2", torchaudio: "2.1.2", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
      ],
      sources: ["release-matrix", "previous-versions"],
    },
    {
      series: "2.2",
      python: ["3.8", "3.9", "3.10", "3.11"],
      pythonExperimental: ["3.12"],
      pypiDefault: "cu121",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cu121", archs: CU12_LEGACY_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["previous-versions"] },
      ],
      releases: [
        { torch: "2.2.0", torchvision: "0.17.0", torchaudio: "2.2.0", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.2.1", torchvision: "0.17.1", torchaudio: "2.2.1", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.2.2", torchvision: "0.17.2", torchaudio: "2.2.2", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
      ],
      sources: ["release-matrix", "previous-versions"],
    },
    {
      series: "2.3",
      python: ["3.8", "3.9", "3.10", "3.11"],
      pythonExperimental: ["3.12"],
      pypiDefault: "cu121",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cu121", archs: CU12_LEGACY_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["previous-versions"] },
      ],
      releases: [
        { torch: "2.3.0", torchvision: "0.18.0", torchaudio: "2.3.0", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.3.1", torchvision: "0.18.1", torchaudio: "2.3.1", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
      ],
      sources: ["release-matrix", "previous-versions"],
    },
    {
      series: "2.4",
      python: ["3.8", "3.9", "3.10", "3.11", "3.12"],
      pythonExperimental: [],
      pypiDefault: "cu121",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        { index: "cu121", archs: CU12_LEGACY_ARCHS, confidence: "unconfirmed", sources: ["release-matrix"] },
        {
          index: "cu124",
          archs: CU12_LEGACY_ARCHS,
          confidence: "unconfirmed",
          sources: ["release-matrix"],
          note: "Experimental build in the release matrix.",
        },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["release-matrix"] },
      ],
      releases: [
        {
          torch: "2.4.0",
          torchvision: "0.19.0",
          torchaudio: "2.4.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat"],
          note: "torchvision pin from the version pattern; not read on the previous-versions page.",
        },
        {
          torch: "2.4.1",
          torchvision: "0.19.1",
          torchaudio: "2.4.1",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat"],
          note: "torchvision pin from the version pattern; not read on the previous-versions page.",
        },
      ],
      sources: ["release-matrix"],
    },
    {
      series: "2.5",
      python: ["3.9", "3.10", "3.11", "3.12"],
      pythonExperimental: ["3.13"],
      pypiDefault: "cu124",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "confirmed", sources: ["release-matrix", "conda-archs"] },
        { index: "cu121", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix", "conda-archs"] },
        { index: "cu124", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix", "conda-archs"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["release-matrix"] },
      ],
      releases: [
        {
          torch: "2.5.0",
          torchvision: "0.20.0",
          torchaudio: "2.5.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat"],
          note: "torchvision pin from the version pattern; not read on the previous-versions page.",
        },
        {
          torch: "2.5.1",
          torchvision: "0.20.1",
          torchaudio: "2.5.1",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat"],
          note: "torchvision pin from the version pattern; not read on the previous-versions page.",
        },
      ],
      sources: ["release-matrix"],
    },
    {
      series: "2.6",
      python: ["3.9", "3.10", "3.11", "3.12", "3.13"],
      pythonExperimental: [],
      pypiDefault: "cu124",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "confirmed", sources: ["previous-versions", "conda-archs"] },
        { index: "cu124", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["previous-versions", "conda-archs"] },
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["previous-versions", "conda-archs"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["previous-versions"] },
      ],
      releases: [
        { torch: "2.6.0", torchvision: "0.21.0", torchaudio: "2.6.0", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
      ],
      sources: ["release-matrix", "previous-versions"],
    },
    {
      series: "2.7",
      python: ["3.9", "3.10", "3.11", "3.12", "3.13"],
      pythonExperimental: [],
      pypiDefault: "cu126",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu118", archs: CU118_ARCHS, confidence: "confirmed", sources: ["release-matrix", "conda-archs"] },
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix", "conda-archs"] },
        {
          index: "cu128",
          archs: CU128_TURING_UP,
          confidence: "confirmed",
          sources: ["release-matrix", "conda-archs", "no-sm70-2.7.1-cu128"],
          note: "The first build with Blackwell (10.0, 12.0) kernels; no Volta.",
        },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["release-matrix"] },
      ],
      releases: [
        {
          torch: "2.7.0",
          torchvision: "0.22.0",
          torchaudio: "2.7.0",
          confidence: "confirmed",
          sources: ["torchaudio-compat", "nixpkgs-torchvision"],
        },
        {
          torch: "2.7.1",
          torchvision: "0.22.1",
          torchaudio: "2.7.1",
          confidence: "confirmed",
          sources: ["torchaudio-compat", "nixpkgs-torchvision"],
        },
      ],
      sources: ["release-matrix"],
    },
    {
      series: "2.8",
      python: ["3.9", "3.10", "3.11", "3.12", "3.13"],
      pythonExperimental: [],
      pypiDefault: "cu128",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["build-script-2.8"] },
        { index: "cu128", archs: CU128_WITH_VOLTA, confidence: "confirmed", sources: ["build-script-2.8"] },
        {
          index: "cu129",
          archs: CU128_WITH_VOLTA,
          confidence: "unconfirmed",
          sources: ["release-matrix"],
          note: "Experimental build; list assumed equal to cu128's.",
        },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["release-matrix"] },
      ],
      releases: [
        {
          torch: "2.8.0",
          torchvision: "0.23.0",
          torchaudio: "2.8.0",
          confidence: "confirmed",
          sources: ["torchaudio-compat", "nixpkgs-torchvision"],
        },
      ],
      sources: ["release-matrix"],
    },
    {
      series: "2.9",
      python: ["3.10", "3.11", "3.12", "3.13", "3.14"],
      pythonExperimental: [],
      pypiDefault: "cu128",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["previous-versions", "volta-drop-2.11"] },
        { index: "cu128", archs: CU128_WITH_VOLTA, confidence: "confirmed", sources: ["previous-versions", "volta-drop-2.11"] },
        { index: "cu130", archs: CU13_ARCHS, confidence: "confirmed", sources: ["previous-versions", "volta-drop-2.11"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["previous-versions"] },
      ],
      releases: [
        { torch: "2.9.0", torchvision: "0.24.0", torchaudio: "2.9.0", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
        { torch: "2.9.1", torchvision: "0.24.1", torchaudio: "2.9.1", confidence: "confirmed", sources: ["previous-versions", "torchaudio-compat"] },
      ],
      sources: ["release-matrix", "previous-versions"],
    },
    {
      series: "2.10",
      python: ["3.10", "3.11", "3.12", "3.13", "3.14"],
      pythonExperimental: [],
      pypiDefault: "cu128",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix", "volta-drop-2.11"] },
        { index: "cu128", archs: CU128_WITH_VOLTA, confidence: "confirmed", sources: ["release-matrix", "volta-drop-2.11"] },
        { index: "cu130", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix", "volta-drop-2.11"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["pyg-index"] },
      ],
      releases: [
        {
          torch: "2.10.0",
          torchvision: "0.25.0",
          torchaudio: "2.10.0",
          confidence: "confirmed",
          sources: ["torchaudio-compat", "wan2gp-install"],
        },
      ],
      sources: ["release-matrix", "pyg-index"],
    },
    {
      series: "2.11",
      python: ["3.10", "3.11", "3.12", "3.13", "3.14"],
      pythonExperimental: [],
      pypiDefault: "cu130",
      pypiDefaultConfidence: "confirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix", "volta-drop-2.11"] },
        { index: "cu128", archs: CU128_TURING_UP, confidence: "confirmed", sources: ["release-matrix", "volta-drop-2.11"] },
        { index: "cu130", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix", "volta-drop-2.11"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["pyg-index"] },
      ],
      releases: [
        {
          torch: "2.11.0",
          torchvision: "0.26.0",
          torchaudio: "2.11.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat", "third-party-pins"],
          note: "torchvision pin seen only in third-party install commands.",
        },
      ],
      sources: ["release-matrix", "pypi-cuda13", "pyg-index", "torchaudio-2.11.1"],
    },
    {
      series: "2.12",
      python: ["3.10", "3.11", "3.12", "3.13", "3.14"],
      pythonExperimental: [],
      pypiDefault: "cu130",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix"] },
        { index: "cu130", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix"] },
        {
          index: "cu132",
          archs: CU13_ARCHS,
          confidence: "confirmed",
          sources: ["release-matrix", "pyg-index"],
          note: "Experimental build in the release matrix.",
        },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["pyg-index"] },
      ],
      releases: [
        {
          torch: "2.12.0",
          torchvision: "0.27.0",
          torchaudio: "2.11.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat", "third-party-pins"],
          note: "torchvision pin seen only in third-party install commands; torchaudio 2.11 serves torch 2.11 and later (a torchaudio 2.12.0 is reported both as missing and as installed).",
        },
        {
          torch: "2.12.1",
          torchvision: "0.27.1",
          torchaudio: "2.11.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat", "third-party-pins", "pyg-index"],
          note: "torchvision pin seen only in third-party install commands.",
        },
      ],
      sources: ["release-matrix", "pyg-index"],
    },
    {
      series: "2.13",
      python: ["3.10", "3.11", "3.12", "3.13", "3.14"],
      pythonExperimental: ["3.15"],
      pypiDefault: "cu130",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix"] },
        { index: "cu130", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix", "rfc-2.14"] },
        { index: "cu132", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix", "pyg-index"] },
        { index: "cpu", archs: [], confidence: "confirmed", sources: ["pyg-index"] },
      ],
      releases: [
        {
          torch: "2.13.0",
          torchvision: "0.28.0",
          torchaudio: "2.11.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat", "third-party-pins"],
          note: "torchvision pin seen only in third-party install commands; torchaudio 2.13.0 does not exist.",
        },
      ],
      sources: ["release-matrix", "pyg-index"],
    },
    {
      series: "2.14",
      python: ["3.10", "3.11", "3.12", "3.13", "3.14"],
      pythonExperimental: ["3.15"],
      pypiDefault: "cu130",
      pypiDefaultConfidence: "unconfirmed",
      builds: [
        { index: "cu126", archs: CU12_LEGACY_ARCHS, confidence: "confirmed", sources: ["release-matrix", "rfc-2.14"] },
        { index: "cu130", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix", "rfc-2.14"] },
        { index: "cu132", archs: CU13_ARCHS, confidence: "confirmed", sources: ["release-matrix", "rfc-2.14"] },
        { index: "cpu", archs: [], confidence: "unconfirmed", sources: ["third-party-pins"] },
      ],
      releases: [
        {
          torch: "2.14.0",
          torchvision: "0.29.0",
          torchaudio: "2.11.0",
          confidence: "unconfirmed",
          sources: ["torchaudio-compat", "third-party-pins"],
          note: "torchvision pin seen only in third-party install commands.",
        },
      ],
      sources: ["release-matrix", "rfc-2.14"],
    },
  ],
};
