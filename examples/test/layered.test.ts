// The layered-configuration example proves immutability (issue 2, section 4): building on an image leaves it
// unchanged.
import type { Image } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { base, createBaseAiImage, createMlImage, createNlpImage, ml, nlp } from "../seed/25-layered-configuration.ts";

function snapshot(image: Image): { json: string; digest: string; steps: number } {
  const spec = image.toJSON();
  return { json: JSON.stringify(spec), digest: image.digest(), steps: spec.stages.at(-1)?.steps.length ?? -1 };
}

describe("25-layered-configuration", () => {
  it("base is unchanged after createMlImage(base), and ml after createNlpImage(ml)", () => {
    const freshBase = createBaseAiImage();
    const baseBefore = snapshot(freshBase);

    const freshMl = createMlImage(freshBase);
    expect(snapshot(freshBase)).toEqual(baseBefore);
    const mlBefore = snapshot(freshMl);

    const freshNlp = createNlpImage(freshMl);
    expect(snapshot(freshBase)).toEqual(baseBefore);
    expect(snapshot(freshMl)).toEqual(mlBefore);

    expect([baseBefore.steps, mlBefore.steps, snapshot(freshNlp).steps]).toEqual([4, 7, 10]);
    expect(new Set([baseBefore.digest, mlBefore.digest, freshNlp.digest()]).size).toBe(3);
  });

  it("the exported base, ml and nlp: base is still the fresh base image, with 4, 7 and 10 steps", () => {
    expect(snapshot(base)).toEqual(snapshot(createBaseAiImage()));
    expect(snapshot(ml)).toEqual(snapshot(createMlImage(createBaseAiImage())));
    expect([base, ml, nlp].map((image) => snapshot(image).steps)).toEqual([4, 7, 10]);
  });

  it("each layer starts with the steps of the one below", () => {
    const steps = (image: Image) => image.toJSON().stages.at(-1)?.steps ?? [];
    expect(steps(ml).slice(0, 4)).toEqual(steps(base));
    expect(steps(nlp).slice(0, 7)).toEqual(steps(ml));
  });

  it("images are frozen", () => {
    expect(Object.isFrozen(base)).toBe(true);
    expect(Object.isFrozen(base.toJSON())).toBe(true);
  });
});
