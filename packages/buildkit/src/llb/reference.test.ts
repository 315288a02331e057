import { describe, expect, test } from "vitest";
import { LLBError } from "./errors.ts";
import { normalizeImageName } from "./reference.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("normalizeImageName (Docker's ParseNormalizedNamed + TagNameOnly)", () => {
  test.each([
    ["python:3.11", "docker.io/library/python:3.11"],
    ["python", "docker.io/library/python:latest"],
    ["python:3.11-slim", "docker.io/library/python:3.11-slim"],
    ["local/debian:bookworm-minbase", "docker.io/local/debian:bookworm-minbase"],
    ["local/busybox", "docker.io/local/busybox:latest"],
    ["docker.io/python", "docker.io/library/python:latest"],
    ["docker.io/library/python:3", "docker.io/library/python:3"],
    ["index.docker.io/library/python:3", "docker.io/library/python:3"],
    ["nvidia/cuda:12.4.1-runtime-ubuntu22.04", "docker.io/nvidia/cuda:12.4.1-runtime-ubuntu22.04"],
    ["parachutes/python:3.12", "docker.io/parachutes/python:3.12"],
    ["ghcr.io/org/img", "ghcr.io/org/img:latest"],
    ["ghcr.io/org/sub/img:v1", "ghcr.io/org/sub/img:v1"],
    ["localhost/img:1", "localhost/img:1"],
    ["localhost:5000/a/b:c", "localhost:5000/a/b:c"],
    ["registry.example.com:443/team/app", "registry.example.com:443/team/app:latest"],
    [`alpine@${DIGEST}`, `docker.io/library/alpine@${DIGEST}`],
    [`alpine:3.18@${DIGEST}`, `docker.io/library/alpine:3.18@${DIGEST}`],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeImageName(input).reference).toBe(expected);
  });

  test("splits name, tag and digest", () => {
    expect(normalizeImageName(`python:3.11@${DIGEST}`)).toEqual({
      name: "docker.io/library/python",
      tag: "3.11",
      digest: DIGEST,
      reference: `docker.io/library/python:3.11@${DIGEST}`,
    });
    expect(normalizeImageName(`python@${DIGEST}`)).toEqual({ name: "docker.io/library/python", digest: DIGEST, reference: `docker.io/library/python@${DIGEST}` });
  });

  test.each([["Python:3"], ["UPPER/x"], ["a b"], ["ab".repeat(32)], [""], ["python:"], ["-x"], ["x@sha256:12"]])("refuses %j", (input) => {
    expect(() => normalizeImageName(input)).toThrow(LLBError);
    try {
      normalizeImageName(input);
    } catch (error) {
      expect((error as LLBError).code).toBe("invalid-reference");
      expect((error as LLBError).message).toContain(JSON.stringify(input));
    }
  });
});
