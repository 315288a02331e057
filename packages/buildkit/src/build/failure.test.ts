import { Image } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { BuildKitError } from "../errors.ts";
import { SessionError } from "../session/errors.ts";
import { dockerfileStepMapper } from "./dockerfile-steps.ts";
import { describeFailure, runStepOfMessage } from "./failure.ts";
import type { ImageLike } from "./options.ts";

const image = new Image("t", "app", "1")
  .fromBase("local/debian:bookworm-minbase")
  .setWorkdir("/x")
  .runCommand(
    `pip install
       torch  # the big one
       transformers`,
  );
const spec = image.toJSON();
/** image-core records where each step was made; failures name it. */
const HERE = new URL(import.meta.url).pathname;
const ORIGIN = `runCommand at ${HERE}:12`;
const STEP = { stage: "app", step: 1, kind: "run", command: "pip install torch transformers", method: "runCommand", location: { file: HERE, line: 12 } };
const stepOf = dockerfileStepMapper(spec);

function engineFailure(vertexName: string, vertexError: string, exitCode?: number): BuildKitError {
  return new BuildKitError("build-failed", `build failed at step #6 "${vertexName}": ${vertexError}`, {
    vertex: { digest: "sha256:aa", name: vertexName, error: vertexError },
    logs: ["Collecting torch", "ERROR: network unreachable"],
    grpcStatus: { code: 2, name: "unknown", message: vertexError },
    ...(exitCode === undefined ? {} : { exitCode }),
  });
}

describe("describeFailure", () => {
  it("names the step, the command, the exit code and the last lines", () => {
    const failed = engineFailure("[3/3] RUN pip install     torch     transformers", 'process "/bin/sh -c pip install torch transformers" did not complete successfully: exit code: 1', 1);
    const error = describeFailure(failed, { spec, image, stepOf, sessionErrors: [] });
    expect(error).toBeInstanceOf(BuildKitError);
    expect(error.code).toBe("build-failed");
    expect(error.message).toBe(`step 1 of stage app (${ORIGIN}): "pip install torch transformers" exited with code 1:\n  Collecting torch\n  ERROR: network unreachable`);
    expect(error.step).toEqual({ ...STEP, location: { ...STEP.location, column: expect.any(Number) as number } });
    expect(error.exitCode).toBe(1);
    expect(error.logs).toEqual(failed.logs);
    expect(error.vertex).toEqual(failed.vertex);
    expect(error.cause).toBe(failed);
  });

  it("uses the image's origins when it has them", () => {
    const withOrigins: ImageLike = {
      toJSON: () => spec,
      validate: () => [],
      originOf: (stage, step) => (stage === "app" && step === 1 ? { method: "runCommand", location: { file: "/src/image.ts", line: 12, column: 3 } } : undefined),
    };
    const failed = engineFailure("[3/3] RUN pip install     torch     transformers", "executor failed running [/bin/sh -c pip install torch transformers]: exit code: 1", 1);
    const error = describeFailure(failed, { spec, image: withOrigins, stepOf, sessionErrors: [] });
    expect(error.message.split("\n")[0]).toBe('step 1 of stage app (runCommand at /src/image.ts:12): "pip install torch transformers" exited with code 1:');
    expect(error.step?.location).toEqual({ file: "/src/image.ts", line: 12, column: 3 });
  });

  it("gives the engine's reason without the command it repeats, and a hint when there is no bridge network", () => {
    const failed = engineFailure("[3/3] RUN pip install     torch     transformers", "executor failed running [/bin/sh -c pip install torch transformers]: network bridge not found");
    const error = describeFailure(failed, { spec, image, stepOf, sessionErrors: [] });
    expect(error.message.split("\n")[0]).toBe(`step 1 of stage app (${ORIGIN}): "pip install torch transformers" failed: network bridge not found:`);
    expect(error.message).toMatch(/^hint: the engine has no default bridge network .*"host" or "none"/m);
  });

  it("keeps the engine's message for a vertex that is no step, adding the session's errors", () => {
    const failed = engineFailure("[internal] load build context", "failed to compute cache key");
    const sessionError = new SessionError("sync-order", "entries out of order", {});
    const error = describeFailure(failed, { spec, image, stepOf, sessionErrors: [sessionError] });
    expect(error.message).toBe(`${failed.message}\nthe session reported:\n  sync-order: entries out of order`);
    expect(error.step).toBeUndefined();
  });

  it("finds the step from the engine's message when the progress named no vertex (a step two builds shared)", () => {
    for (const message of [
      "Control.Solve: executor failed running [/bin/sh -c pip install torch transformers]: exit code: 127",
      'Control.Solve: process "/bin/sh -c pip install     torch     transformers" did not complete successfully: exit code: 127',
    ]) {
      const failed = new BuildKitError("build-failed", message, { exitCode: 127, grpcStatus: { code: 2, name: "unknown", message } });
      const error = describeFailure(failed, { spec, image, stepOf, sessionErrors: [] });
      expect(error.step).toEqual({ ...STEP, location: { ...STEP.location, column: expect.any(Number) as number } });
      expect(error.message).toBe(`step 1 of stage app (${ORIGIN}): "pip install torch transformers" exited with code 127`);
    }
  });

  it("matches a message to a run step only when exactly one fits", () => {
    const twice = new Image("t", "x", "1").fromBase("local/busybox:latest").runCommand("make").runCommand(["/bin/sh", "-c", "echo \"quoted\""]).runCommand("make");
    expect(runStepOfMessage("executor failed running [/bin/sh -c make]: exit code: 2", twice.toJSON())).toBeUndefined();
    expect(runStepOfMessage('process "/bin/sh -c echo \\"quoted\\"" did not complete successfully: exit code: 1', twice.toJSON())).toEqual({ stage: "x", step: 1 });
    expect(runStepOfMessage("failed to compute cache key: not found", twice.toJSON())).toBeUndefined();
  });

  it("adds the context's warnings about sources to a failed build", () => {
    const failed = engineFailure("[2/3] COPY nope.txt /nope.txt", '"/nope.txt" not found: not found');
    const warnings = [
      { code: "source-not-found", message: 'step 0 (copy): "nope.txt" is not in the context' },
      { code: "special-file", message: "a FIFO was skipped" },
    ];
    const error = describeFailure(failed, { spec, image, stepOf, sessionErrors: [], contextWarnings: warnings });
    expect(error.message).toBe(`${failed.message}\nthe build context:\n  source-not-found: step 0 (copy): "nope.txt" is not in the context`);
  });

  it("returns other errors unchanged", () => {
    const lost = new BuildKitError("connection-lost", "the connection to the engine was lost");
    expect(describeFailure(lost, { spec, image, stepOf, sessionErrors: [] })).toBe(lost);
  });
});
