import { ChutesError } from "@chutes/image-core";
import { expect, test } from "vitest";
import { BuildKitError, parseExitCode } from "./errors.ts";

test("BuildKitError is a ChutesError with a stable code and the build details", () => {
  const error = new BuildKitError("build-failed", "boom", {
    exitCode: 3,
    logs: ["a"],
    vertex: { digest: "sha256:x", name: "RUN x", error: "exit code: 3" },
    grpcStatus: { code: 2, name: "unknown", message: "exit code: 3" },
  });
  expect(error).toBeInstanceOf(ChutesError);
  expect(error).toBeInstanceOf(Error);
  expect(error).toMatchObject({ name: "BuildKitError", code: "build-failed", exitCode: 3, logs: ["a"], address: undefined });
  expect(new BuildKitError("aborted", "x").logs).toEqual([]);
});

test("parseExitCode reads both engines' wording", () => {
  expect(parseExitCode("executor failed running [/bin/sh -c exit 3]: exit code: 3")).toBe(3);
  expect(parseExitCode('process "/bin/sh -c exit 7" did not complete successfully: exit code: 7')).toBe(7);
  expect(parseExitCode("failed to load LLB: unknown API capability mergeop")).toBeUndefined();
});
