// Minimum NVIDIA Linux x86_64 drivers: per CUDA minor (the GA toolkit driver, Table 3 of the CUDA Toolkit release
// notes) and per CUDA major under minor-version compatibility (Table 2). Plain data: see ./types.ts.
//
// Which one applies: an `nvidia/cuda:X.Y.Z-*` image asks the container runtime for a driver that supports CUDA X.Y
// (the toolkit row); code built with CUDA X.Y alone (a torch wheel on a non-CUDA base) runs on the major's floor,
// minus features that need the newer driver (PTX JIT of newer PTX, for one).

import type { DriverTable } from "./types.ts";

const TABLE3 = ["release-notes-table-3"] as const;

export const driverTable: DriverTable = {
  asOf: "2026-11-29",
  sources: [
    {
      id: "release-notes-table-3",
      url: "https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html#id7",
      states:
        "Table 3, CUDA Toolkit and Corresponding Driver Versions (Linux x86_64): 11.7 GA >=515.43.04, 11.8 GA >=520.61.05, 12.0 GA >=525.60.13, 12.1 GA >=530.30.02, 12.2 GA >=535.54.03, 12.3 GA >=545.23.06, 12.4 GA >=550.54.14, 12.5 GA >=555.42.02, 12.6 GA >=560.28.03, 12.8 GA >=570.26, 12.9 GA >=575.51.03, 13.0 GA >=580.65.06, 13.1 GA >=590.44.01, 13.2 GA >=595.45.04.",
    },
    {
      id: "release-notes-table-2",
      url: "https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html#cuda-toolkit-and-minimum-required-driver-version-for-cuda-minor-version-compatibility",
      states:
        "Table 2, minor-version compatibility: 13.x >= 580, 12.x >= 525 and < 580, 11.x >= 450 and < 525; CUDA 11.x needs the 450.80.02 Tesla Recommended Driver for it.",
    },
  ],
  toolkits: [
    { cuda: "11.7", linux: "515.43.04", confidence: "confirmed", sources: TABLE3 },
    { cuda: "11.8", linux: "520.61.05", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.0", linux: "525.60.13", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.1", linux: "530.30.02", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.2", linux: "535.54.03", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.3", linux: "545.23.06", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.4", linux: "550.54.14", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.5", linux: "555.42.02", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.6", linux: "560.28.03", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.8", linux: "570.26", confidence: "confirmed", sources: TABLE3 },
    { cuda: "12.9", linux: "575.51.03", confidence: "confirmed", sources: TABLE3 },
    { cuda: "13.0", linux: "580.65.06", confidence: "confirmed", sources: TABLE3 },
    { cuda: "13.1", linux: "590.44.01", confidence: "confirmed", sources: TABLE3 },
    { cuda: "13.2", linux: "595.45.04", confidence: "confirmed", sources: TABLE3 },
  ],
  majors: [
    {
      major: 11,
      linux: "450.80.02",
      confidence: "confirmed",
      sources: ["release-notes-table-2"],
      note: "11.0 shipped with an older driver; minor-version compatibility across 11.x needs 450.80.02.",
    },
    { major: 12, linux: "525.60.13", confidence: "confirmed", sources: ["release-notes-table-2", "release-notes-table-3"] },
    { major: 13, linux: "580.65.06", confidence: "confirmed", sources: ["release-notes-table-2", "release-notes-table-3"] },
  ],
};
