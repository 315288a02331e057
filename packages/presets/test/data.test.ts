// The tables are data: these checks keep them consistent with each other and honest about their sources.
import { describe, expect, it } from "vitest";
import { cudaImageTable, driverTable, gpuTable, toolTable, torchTable } from "../src/index.ts";
import type { DataTable } from "../src/index.ts";

const tables: readonly (readonly [string, DataTable])[] = [
  ["torch", torchTable],
  ["cuda-images", cudaImageTable],
  ["drivers", driverTable],
  ["gpus", gpuTable],
  ["tools", toolTable],
];

const versionCompare = (a: string, b: string): number => {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};
const ascending = (list: readonly string[]): boolean => list.every((v, i) => i === 0 || versionCompare(list[i - 1] ?? "", v) < 0);

/** Every `sources` array anywhere in a table. */
function sourceRefs(value: unknown, key = ""): string[] {
  if (Array.isArray(value)) {
    return key === "sources" && value.every((v) => typeof v === "string") ? (value) : value.flatMap((v) => sourceRefs(v));
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => (k === "sources" && Array.isArray(v) && v.every((x) => typeof x === "object") ? [] : sourceRefs(v, k)));
  }
  return [];
}

describe.each(tables)("table %s", (_name, table) => {
  it("has an ISO asOf date and sources with ids, https URLs and what they state", () => {
    expect(table.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.sources.length).toBeGreaterThan(0);
    const ids = table.sources.map((source) => source.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const source of table.sources) {
      expect(source.url).toMatch(/^https:\/\//);
      expect(source.states.length).toBeGreaterThan(10);
    }
  });

  it("cites only its own sources, and cites each of them", () => {
    const ids = new Set(table.sources.map((source) => source.id));
    const refs = sourceRefs(table);
    expect(refs.filter((ref) => !ids.has(ref))).toEqual([]);
    expect([...ids].filter((id) => !refs.includes(id) && id !== "support-policy" && id !== "short-tags-gone")).toEqual([]);
  });
});

describe("torch table", () => {
  it("covers 2.0 to 2.14 in order, releases ascending within each series", () => {
    expect(torchTable.series.map((s) => s.series)).toEqual(["2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14"]);
    for (const series of torchTable.series) {
      expect(ascending(series.releases.map((r) => r.torch))).toBe(true);
      for (const release of series.releases) expect(release.torch.startsWith(`${series.series}.`)).toBe(true);
      expect(ascending(series.python)).toBe(true);
    }
  });

  it("has one cpu build per series, arch lists ascending, and the PyPI build among the builds", () => {
    for (const series of torchTable.series) {
      expect(series.builds.filter((b) => b.index === "cpu")).toHaveLength(1);
      expect(series.builds.map((b) => b.index)).toContain(series.pypiDefault);
      for (const build of series.builds) {
        expect(build.index === "cpu" ? build.archs.length === 0 : build.archs.length > 0).toBe(true);
        expect(ascending(build.archs.map((a) => a.replace("+PTX", "")))).toBe(true);
      }
    }
  });

  it("pairs torchvision 0.(minor + 15).patch with torch 2.minor.patch (2.0.x: 0.15.(patch + 1))", () => {
    for (const series of torchTable.series) {
      for (const release of series.releases) {
        const [, minor = 0, patch = 0] = release.torch.split(".").map(Number);
        const expected = minor === 0 ? `0.15.${patch + 1}` : `0.${minor + 15}.${patch}`;
        expect(release.torchvision, release.torch).toBe(expected);
      }
    }
  });

  it("pins torchaudio 2.11.0 from torch 2.11 on (stable ABI), the matching version before (2.0.x: +1)", () => {
    for (const { releases } of torchTable.series) {
      for (const release of releases) {
        const [, minor = 0] = release.torch.split(".").map(Number);
        const expected = minor >= 11 ? "2.11.0" : release.torch === "2.0.0" ? "2.0.1" : release.torch === "2.0.1" ? "2.0.2" : release.torch;
        expect(release.torchaudio, release.torch).toBe(expected);
      }
    }
  });

  it("explains every unconfirmed release", () => {
    for (const { releases } of torchTable.series) {
      for (const release of releases) if (release.confidence === "unconfirmed") expect(release.note, release.torch).toBeDefined();
    }
  });

  it("has no Blackwell kernels before 2.7 and no Volta kernels in CUDA 13 builds", () => {
    for (const series of torchTable.series) {
      for (const build of series.builds) {
        if (versionCompare(series.series, "2.7") < 0) expect(build.archs.some((a) => a.startsWith("10.") || a.startsWith("12."))).toBe(false);
        if (build.index.startsWith("cu13")) expect(build.archs.some((a) => versionCompare(a.replace("+PTX", ""), "7.5") < 0)).toBe(false);
      }
    }
  });
});

describe("cuda image table", () => {
  it("has an image row and a driver for every CUDA version a torch build targets", () => {
    const minors = new Set(
      torchTable.series.flatMap((s) => s.builds.filter((b) => b.index !== "cpu").map((b) => `${b.index.slice(2, -1)}.${b.index.slice(-1)}`)),
    );
    for (const minor of minors) {
      expect(cudaImageTable.images.some((row) => row.cuda === minor), minor).toBe(true);
      expect(driverTable.toolkits.some((row) => row.cuda === minor), minor).toBe(true);
    }
  });

  it("uses full versions in tags, known Ubuntu releases, and one row per (cuda, ubuntu, flavor)", () => {
    const ubuntus = new Set(cudaImageTable.ubuntu.map((u) => u.version));
    const seen = new Set<string>();
    for (const row of cudaImageTable.images) {
      expect(row.tag).toMatch(new RegExp(`^${row.cuda.replace(".", "\\.")}\\.\\d+$`));
      expect(ubuntus.has(row.ubuntu)).toBe(true);
      for (const flavor of row.flavors) {
        const key = `${row.cuda}/${row.ubuntu}/${flavor}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
      if (row.flavors.some((f) => f.startsWith("cudnn"))) expect(row.cudnnInfix).toBeDefined();
    }
  });

  it("marks only Ubuntu 24.04's python as externally managed", () => {
    expect(cudaImageTable.ubuntu.map((u) => [u.version, u.python, u.externallyManaged])).toEqual([
      ["20.04", "3.8", false],
      ["22.04", "3.10", false],
      ["24.04", "3.12", true],
    ]);
  });
});

describe("gpu table", () => {
  it("puts every model in a known architecture", () => {
    const ccs = new Set(gpuTable.architectures.flatMap((a) => a.computeCapabilities));
    for (const model of gpuTable.models) expect(ccs.has(model.computeCapability), model.names[0]).toBe(true);
  });

  it("records the CUDA 13 drop of Maxwell, Pascal and Volta", () => {
    expect(gpuTable.architectures.filter((a) => a.lastCudaMajor === 12).map((a) => a.name)).toEqual(["Maxwell", "Pascal", "Volta"]);
  });
});

describe("driver table", () => {
  it("lists toolkits ascending with one floor per CUDA major", () => {
    expect(ascending(driverTable.toolkits.map((t) => t.cuda))).toBe(true);
    expect(driverTable.majors.map((m) => m.major)).toEqual([11, 12, 13]);
  });
});
