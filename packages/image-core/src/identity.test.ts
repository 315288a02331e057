import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, imageUid, specDigest } from "./identity.ts";
import type { ImageSpec } from "./ir.ts";

describe("imageUid", () => {
  // Expected values computed with Python: str(uuid.uuid5(uuid.NAMESPACE_OID, f"{username.lower()}/{name}:{tag}"))
  it.each([
    [{ username: "myuser", name: "myapp", tag: "1.0.0" }, "909673aa-0d8e-5403-8a50-8244b7639937"],
    [{ username: "MyCompany", name: "ai-model", tag: "latest" }, "f812a878-a43e-5768-9ffe-773c336664df"],
    [{ username: "test", name: "myapp", tag: "test" }, "626a77a6-c2c8-5cc7-9e0f-53679219f4c7"],
  ])("matches the Chutes SDK for %j", (ref, uid) => {
    expect(imageUid(ref)).toBe(uid);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("does not depend on key insertion order (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });
});

describe("specDigest", () => {
  const spec: ImageSpec = {
    irVersion: 1,
    ref: { username: "u", name: "n", tag: "t" },
    stages: [{ id: "n", base: { image: "python:3.11" }, steps: [{ kind: "env", key: "A", value: "1" }] }],
  };
  it("is a sha256 digest, stable across key order", () => {
    const reordered = JSON.parse(
      '{"stages":[{"steps":[{"value":"1","key":"A","kind":"env"}],"base":{"image":"python:3.11"},"id":"n"}],"ref":{"tag":"t","name":"n","username":"u"},"irVersion":1}',
    ) as ImageSpec;
    expect(specDigest(spec)).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(specDigest(reordered)).toBe(specDigest(spec));
  });
  it("changes when the content changes", () => {
    expect(specDigest({ ...spec, ref: { ...spec.ref, tag: "u" } })).not.toBe(specDigest(spec));
  });
});
