import { renderDockerfile } from "@chutes/dockerfile";
import { Image } from "@chutes/image-core";
import { describe, expect, test } from "vitest";
import type { BuildKitClient } from "../client.ts";
import { BuildKitError } from "../errors.ts";
import type { SolveBackendContext } from "./backend.ts";
import { dockerfileBackend } from "./dockerfile-backend.ts";

// The Dockerfile back end never talks to the engine while preparing; a client that throws proves it.
const client = new Proxy({}, { get: () => { throw new Error("the engine was asked"); } }) as BuildKitClient;

function context(image: Image, dockerfile: string): SolveBackendContext {
  return { image, spec: image.toJSON(), client, manifest: { root: "/nonexistent", entries: [], patterns: [] } as never, options: { contextDir: "/nonexistent", dockerfile } };
}

describe("dockerfileBackend.prepare", () => {
  const withEnvSecret = new Image("me", "app").fromBase("local/busybox:latest").runCommand("true").runCommand("echo $T", { mounts: [{ type: "secret", id: "tok", env: "T" }] });

  test("refuses a secret exposed as a variable without a syntax line: built-in frontends before BuildKit 0.16 reject env=", async () => {
    const error = await dockerfileBackend.prepare(context(withEnvSecret, renderDockerfile(withEnvSecret))).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BuildKitError);
    expect((error as BuildKitError).code).toBe("invalid-option");
    expect((error as Error).message).toBe(
      'stage "app", step 1 (run) exposes secret "tok" as the variable T; the Dockerfile syntax for that (RUN --mount=type=secret,env=...) ' +
        "needs Dockerfile frontend 1.10 or newer, which engines before BuildKit 0.16 (Docker 20.10 and 26 among them) do not have built in. " +
        'Build with the LLB back end (the default; BuildKit 0.13+), or render with `syntax: "docker/dockerfile:1.10"` on an engine that can pull it.',
    );
  });

  test("a syntax line selects a newer frontend, so the same image prepares", async () => {
    const dockerfile = renderDockerfile(withEnvSecret, { syntax: "docker/dockerfile:1.10" });
    const prepared = await dockerfileBackend.prepare(context(withEnvSecret, dockerfile));
    expect(prepared.frontend).toBe("dockerfile.v0");
    expect(prepared.frontendAttrs).toEqual({ filename: "Dockerfile" });
  });

  test("a secret as a file needs no syntax line", async () => {
    const fileSecret = new Image("me", "app").fromBase("local/busybox:latest").runCommand("cat /run/secrets/tok", { mounts: [{ type: "secret", id: "tok" }] });
    const prepared = await dockerfileBackend.prepare(context(fileSecret, renderDockerfile(fileSecret)));
    expect(prepared.entitlements).toEqual([]);
  });
});
