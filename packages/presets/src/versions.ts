// Version strings as the tables write them: dotted numbers (`2.7.1`, `12.8`, `3.10`) and wheel index names
// (`cu128`, `cpu`).

import type { WheelIndex } from "./data/types.ts";

/** Compares dotted numeric versions: `2.10` > `2.9`, `12.8` < `13.0`; a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** `major.minor` of a dotted version. */
export function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** The wheel index of a CUDA minor: `12.8` -> `cu128`. */
export function indexForCuda(cuda: string): WheelIndex {
  const [major = "", minor = ""] = cuda.split(".");
  return `cu${Number(major) * 10 + Number(minor)}` as WheelIndex;
}

/** The CUDA minor of a wheel index: `cu128` -> `12.8`, `cu130` -> `13.0`; undefined for `cpu`. */
export function cudaForIndex(index: WheelIndex): string | undefined {
  if (index === "cpu") return undefined;
  const digits = index.slice(2);
  return `${digits.slice(0, -1)}.${digits.slice(-1)}`;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1) ?? ""}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/** `3.10 to 3.14` for a contiguous ascending list, or the list itself. */
export function rangeText(versions: readonly string[]): string {
  const first = versions[0];
  const last = versions.at(-1);
  if (first === undefined || last === undefined) return "none";
  return first === last ? first : `${first} to ${last}`;
}
