import { describe, expect, it } from "vitest";
import { archListFor, resolveGpu } from "../src/index.ts";
import { archsCover } from "../src/compat.ts";

describe("resolveGpu", () => {
  it.each([
    ["H100", "H100", ["9.0"], "Hopper"],
    ["nvidia h100 80GB", "H100", ["9.0"], "Hopper"],
    ["A100-80GB", "A100", ["8.0"], "Ampere"],
    ["GeForce RTX 4090", "RTX 4090", ["8.9"], "Ada"],
    ["rtx-5090", "RTX 5090", ["12.0"], "Blackwell"],
    ["A10G", "A10G", ["8.6"], "Ampere"],
    ["sm_90", "sm_90", ["9.0"], "Hopper"],
    ["sm100", "sm_100", ["10.0"], "Blackwell"],
    ["8.6", "sm_86", ["8.6"], "Ampere"],
    ["hopper", "Hopper", ["9.0"], "Hopper"],
    ["Ampere", "Ampere", ["8.0", "8.6"], "Ampere"],
    ["Blackwell", "Blackwell", ["10.0", "10.3", "12.0", "12.1"], "Blackwell"],
  ] as const)("%s", (spec, name, ccs, architecture) => {
    expect(resolveGpu(spec)).toEqual({ spec, name, computeCapabilities: ccs, architecture });
  });

  it.each(["A1000", "", "sm_35", "4.0", "gpu"])("%j is unknown", (spec) => {
    expect(resolveGpu(spec)).toBeUndefined();
  });
});

describe("archsCover", () => {
  it("runs X.y kernels on X.z GPUs (z >= y), and PTX on anything newer", () => {
    expect(archsCover(["8.0", "8.6"], "8.9")).toBe(true);
    expect(archsCover(["8.0"], "8.6")).toBe(true);
    expect(archsCover(["8.6"], "8.0")).toBe(false);
    expect(archsCover(["9.0"], "10.0")).toBe(false);
    expect(archsCover(["10.0"], "10.3")).toBe(true);
    expect(archsCover(["12.0+PTX"], "12.1")).toBe(true);
    expect(archsCover(["12.0+PTX"], "13.0")).toBe(true);
    expect(archsCover(["12.0+PTX"], "11.0")).toBe(false);
  });
});

describe("archListFor", () => {
  const gpu = (spec: string) => {
    const resolved = resolveGpu(spec);
    if (resolved === undefined) throw new Error(spec);
    return resolved;
  };

  it("lists the targets' compute capabilities once, ascending", () => {
    expect(archListFor([gpu("H100"), gpu("A100"), gpu("A100")])).toBe("8.0;9.0");
  });

  it("replaces a compute capability the toolkit cannot compile with the build's lower one of the same major", () => {
    expect(archListFor([gpu("L4")], "11.7", ["8.0", "8.6"])).toBe("8.6");
    expect(archListFor([gpu("L4")], "11.8", ["8.0", "8.6"])).toBe("8.9");
    expect(archListFor([gpu("B300")], "12.8", ["10.0", "12.0"])).toBe("10.0");
  });
});
