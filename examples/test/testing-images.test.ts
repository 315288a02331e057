// The seed's "Testing Images" section (28-testing-images.ts) as real assertions: where the seed writes "this
// would build the image" or "implementation depends on your testing framework", image.inspect() gives the image
// config without building.
import { renderDockerfile } from "@chutes/dockerfile";
import { describe, expect, it } from "vitest";
import { buildTestImage, environmentTestImage, securityTestImage } from "../seed/28-testing-images.ts";

describe("Testing Images (seed)", () => {
  it("test_image_builds_successfully: the config is valid and the Dockerfile installs requests", () => {
    expect(buildTestImage.validate()).toEqual([]);
    expect(buildTestImage.inspect()).toBeDefined();
    expect(renderDockerfile(buildTestImage).split("\n")).toContain("RUN pip install requests");
  });

  it("test_image_has_correct_environment: TEST_VAR=test_value", () => {
    expect(environmentTestImage.inspect().Env).toContain("TEST_VAR=test_value");
  });

  it("test_image_security: runs as the non-root user 1000:1000", () => {
    expect(securityTestImage.inspect().User).toBe("1000:1000");
  });
});
