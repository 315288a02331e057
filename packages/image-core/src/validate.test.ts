import { describe, expect, it } from "vitest";
import type { ImageSpec, Step } from "./ir.ts";
import { validateRef, validateSpec } from "./validate.ts";

function specWith(steps: Step[], extra: Partial<ImageSpec> = {}): ImageSpec {
  return {
    irVersion: 1,
    ref: { username: "u", name: "app", tag: "1" },
    stages: [{ id: "app", base: { image: "debian:bookworm" }, steps }],
    ...extra,
  };
}

function codesOf(steps: Step[]): string[] {
  return validateSpec(specWith(steps)).map((issue) => issue.code);
}

describe("validateRef", () => {
  it.each([
    ["a", true],
    ["my-company", true],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["-a", false],
    ["a-", false],
    ["My", false],
    ["a_b", false],
    ["", false],
  ])("username %j valid: %s", (username, valid) => {
    expect(validateRef({ username, name: "n", tag: "t" }).length === 0).toBe(valid);
  });

  it("names the field, the value and the fix", () => {
    expect(validateRef({ username: "u", name: "Text_Processor", tag: ".bad" })).toEqual([
      {
        code: "invalid-name",
        severity: "error",
        method: "constructor",
        path: ["ref", "name"],
        value: "Text_Processor",
        message:
          'name "Text_Processor" is not valid: use lowercase letters, digits and hyphens, not starting or ending with a hyphen, at most 63 characters (e.g. "text-processor")',
      },
      {
        code: "invalid-tag",
        severity: "error",
        method: "constructor",
        path: ["ref", "tag"],
        value: ".bad",
        message:
          'tag ".bad" is not a valid Docker tag: use letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters (e.g. "1.0.0")',
      },
    ]);
  });
});

describe("validateSpec: steps", () => {
  it("accepts a valid spec", () => {
    expect(
      codesOf([
        { kind: "run", command: { form: "shell", lines: ["echo hi"] }, mounts: [{ type: "cache", target: "/root/.cache/pip" }] },
        { kind: "run", command: { form: "exec", argv: ["true"] }, mounts: [{ type: "secret", id: "hf_token", mode: "0400", uid: 0 }] },
        { kind: "run", command: { form: "script", script: "echo hi" }, mounts: [{ type: "tmpfs", target: "/tmp", size: 1024 }] },
        { kind: "add", sources: ["git@github.com:org/repo.git"], dest: "/src", keepGitDir: true },
        { kind: "copy", sources: ["./src/**/*.py", "a/../b"], dest: "app/", chown: "$UID:1000", chmod: "0755" },
        { kind: "user", user: "1000:1000" },
        { kind: "healthcheck", test: ["true"], interval: "1m30s", timeout: "500ms", startPeriod: "0s", retries: 0 },
        { kind: "arg", name: "TORCH_VERSION" },
        { kind: "label", key: "org.opencontainers.image.version", value: "" },
        { kind: "expose", port: 65535, protocol: "udp" },
        { kind: "shell", argv: ["/bin/bash", "-c"] },
        { kind: "workdir", path: "relative/dir" },
      ]),
    ).toEqual([]);
  });

  it.each<[string, Step, string[]]>([
    ["an empty shell command", { kind: "run", command: { form: "shell", lines: [] } }, ["empty-command"]],
    ["a line break in a folded line", { kind: "run", command: { form: "shell", lines: ["a\nb"] } }, ["invalid-command"]],
    ["an empty argv", { kind: "run", command: { form: "exec", argv: [] } }, ["empty-command"]],
    ["an empty script", { kind: "run", command: { form: "script", script: " \n" } }, ["empty-command"]],
    ["an empty interpreter", { kind: "run", command: { form: "script", script: "x", interpreter: [] } }, ["empty-command"]],
    [
      "a relative mount target and a bad secret id",
      { kind: "run", command: { form: "shell", lines: ["x"] }, mounts: [{ type: "cache", target: "cache" }, { type: "secret", id: "a b" }] },
      ["invalid-mount-target", "invalid-secret-id"],
    ],
    [
      "two mounts on one target",
      { kind: "run", command: { form: "shell", lines: ["x"] }, mounts: [{ type: "secret", id: "a", target: "/s" }, { type: "tmpfs", target: "/s", size: 0 }] },
      ["invalid-mount", "duplicate-mount-target"],
    ],
    [
      "a secret as a bad variable name, and a second secret setting the same variable",
      {
        kind: "run",
        command: { form: "shell", lines: ["x"] },
        mounts: [{ type: "secret", id: "a", env: "1X" }, { type: "secret", id: "b", env: "T" }, { type: "secret", id: "c", env: "T" }],
      },
      ["invalid-secret-env", "duplicate-secret-env"],
    ],
    [
      "secrets as variables mount no file, so they share no default target",
      { kind: "run", command: { form: "shell", lines: ["x"] }, mounts: [{ type: "secret", id: "a", env: "A" }, { type: "secret", id: "a", env: "B" }, { type: "secret", id: "a" }] },
      [],
    ],
    ["no sources", { kind: "copy", sources: [], dest: "/a" }, ["no-sources"]],
    ["an empty destination", { kind: "copy", sources: ["a"], dest: " " }, ["invalid-path"]],
    ["an absolute source", { kind: "add", sources: ["/etc/passwd"], dest: "/a" }, ["source-outside-context"]],
    ["a source that climbs out", { kind: "copy", sources: ["a/../../b"], dest: "/a" }, ["source-outside-context"]],
    ["a URL in copy", { kind: "copy", sources: ["https://x.org/f"], dest: "/a" }, ["remote-source-in-copy"]],
    ["a bad chown and chmod", { kind: "copy", sources: ["a"], dest: "/a", chown: "a b", chmod: "rwx" }, ["invalid-chown", "invalid-chmod"]],
    ["an empty exclude", { kind: "copy", sources: ["a"], dest: "/a", exclude: [""] }, ["invalid-exclude"]],
    ["a bad env key", { kind: "env", key: "A-B", value: "1" }, ["invalid-env-key"]],
    ["an empty workdir", { kind: "workdir", path: "" }, ["invalid-path"]],
    ["a user with spaces", { kind: "user", user: "app user" }, ["invalid-user"]],
    ["an empty shell", { kind: "shell", argv: [] }, ["empty-command"]],
    ["a label key with =", { kind: "label", key: "a=b", value: "1" }, ["invalid-label-key"]],
    ["port 0", { kind: "expose", port: 0, protocol: "tcp" }, ["invalid-port"]],
    ["a fractional port", { kind: "expose", port: 80.5, protocol: "tcp" }, ["invalid-port"]],
    ["an empty health check", { kind: "healthcheck", test: [] }, ["empty-command"]],
    ["bad durations and retries", { kind: "healthcheck", test: ["true"], timeout: "5", retries: -1 }, ["invalid-duration", "invalid-retries"]],
    ["a bad arg name", { kind: "arg", name: "1X" }, ["invalid-arg-name"]],
  ])("reports %s", (_what, step, codes) => {
    expect(codesOf([step])).toEqual(codes);
  });

  it("places issues at their stage, step and IR path", () => {
    expect(validateSpec(specWith([{ kind: "env", key: "OK", value: "1" }, { kind: "expose", port: 99999, protocol: "tcp" }]))).toEqual([
      {
        code: "invalid-port",
        severity: "error",
        method: "exposePort",
        stage: "app",
        step: 1,
        path: ["stages", 0, "steps", 1, "port"],
        value: 99999,
        message: "port 99999 is not an integer from 1 to 65535",
      },
    ]);
  });
});

describe("validateSpec: stages", () => {
  it("reports unknown, later and duplicate stages, and bad stage ids", () => {
    const spec: ImageSpec = {
      irVersion: 1,
      ref: { username: "u", name: "app", tag: "1" },
      stages: [
        { id: "Build", base: { stage: "later" }, steps: [] },
        { id: "later", base: "scratch", steps: [{ kind: "copyFrom", stage: "nowhere", sources: ["/a"], dest: "/a" }] },
        { id: "later", base: "scratch", steps: [] },
      ],
    };
    expect(validateSpec(spec).map((issue) => [issue.code, issue.value])).toEqual([
      ["invalid-stage-id", "Build"],
      ["unknown-stage", "later"],
      ["unknown-stage", "nowhere"],
      ["duplicate-stage", "later"],
    ]);
  });

  it("allows absolute paths in copyFrom, which are paths in the other stage", () => {
    const spec: ImageSpec = {
      irVersion: 1,
      ref: { username: "u", name: "app", tag: "1" },
      stages: [
        { id: "build", base: "scratch", steps: [] },
        { id: "app", base: "scratch", steps: [{ kind: "copyFrom", stage: "build", sources: ["/opt/venv"], dest: "/opt/venv" }] },
      ],
    };
    expect(validateSpec(spec)).toEqual([]);
  });
});
