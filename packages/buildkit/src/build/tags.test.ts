import { describe, expect, it } from "vitest";
import { BuildKitError } from "../errors.ts";
import { normaliseTag } from "./tags.ts";

describe("normaliseTag", () => {
  it.each([
    ["chutes-demo/hello-inference:0.1.0", "docker.io/chutes-demo/hello-inference:0.1.0"],
    ["app", "docker.io/library/app:latest"],
    ["app:1", "docker.io/library/app:1"],
    ["docker.io/me/app", "docker.io/me/app:latest"],
    ["ghcr.io/org/app:2", "ghcr.io/org/app:2"],
    ["localhost:5000/app:dev", "localhost:5000/app:dev"],
  ])("%s is %s", (tag, expected) => {
    expect(normaliseTag(tag)).toBe(expected);
  });

  it.each(["", "App:1", "app:-x", `app@sha256:${"a".repeat(64)}`])("refuses %j", (tag) => {
    expect(() => normaliseTag(tag)).toThrow(BuildKitError);
    try {
      normaliseTag(tag);
    } catch (error) {
      expect((error as BuildKitError).code).toBe("invalid-option");
    }
  });
});
