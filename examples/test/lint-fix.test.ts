// `fixLint` over every Image the seed's examples export: the fixed IR is still a valid definition that renders,
// it has no more findings than before, every fix names the seed line that made the step, and a second run has
// nothing left to fix. Nothing is printed.
import { renderDockerfile } from "@chutes/dockerfile";
import { Image, fixLint, lint, parseSpec } from "@chutes/image-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { seedImages } from "./seed-modules.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(seedImages.map((entry) => [`${entry.stem} ${entry.name}`, entry] as const))("fixLint: %s", (_name, entry) => {
  it("returns a valid spec with no more findings, quietly, and is idempotent", () => {
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const before = lint(entry.image);
    const result = fixLint(entry.image);

    expect(parseSpec(JSON.parse(JSON.stringify(result.spec))).ok).toBe(true);
    expect(Image.fromJSON(result.spec).validate()).toEqual([]);
    expect(() => renderDockerfile(result.spec)).not.toThrow();
    expect(Object.isFrozen(result.spec)).toBe(true);
    expect(result.remaining.length).toBeLessThanOrEqual(before.length);
    expect(result.remaining).toEqual(lint(result.spec));
    for (const fix of result.applied) expect(fix.location?.file.endsWith(`/seed/${entry.file}`)).toBe(true);
    expect(fixLint(result.spec).applied).toEqual([]);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });
});
