import { ChutesError } from "@chutes/image-core";
import type { ImageSpec, Stage, Step } from "@chutes/image-core";
import { describe, expect, test } from "vitest";
import { RenderError, renderDockerfile } from "./index.ts";
import type { RenderErrorCode } from "./index.ts";

function spec(stages: Stage[]): ImageSpec {
  return { irVersion: 1, ref: { username: "u", name: "n", tag: "t" }, stages };
}

function single(...steps: Step[]): ImageSpec {
  return spec([{ id: "main", base: { image: "debian:12" }, steps }]);
}

function renderError(image: ImageSpec, options = {}): RenderError {
  try {
    renderDockerfile(image, options);
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error("expected a RenderError");
}

describe("RenderError", () => {
  test("is a ChutesError with a stable code and the step it is about", () => {
    const error = renderError(single({ kind: "user", user: "app" }, { kind: "env", key: "A", value: "line 1\nline 2" }));
    expect(error).toBeInstanceOf(ChutesError);
    expect(error.name).toBe("RenderError");
    expect(error).toMatchObject({ code: "unrenderable-value", stage: "main", step: 1, kind: "env", value: "line 1\nline 2" });
    expect(error.message).toBe(
      'stage "main", step 1 (env), value "line 1\\nline 2": it contains a line break (LF or CR), which a ' +
        "Dockerfile cannot express here: a line break ends the instruction and the Dockerfile lexer has no escape " +
        "that produces one. Remove the line break. The LLB back end (@chutes/buildkit) can carry it: build " +
        "through it instead.",
    );
  });

  test.each<[string, Step, RenderErrorCode, string]>([
    ["an ENV value with a CR", { kind: "env", key: "A", value: "a\rb" }, "unrenderable-value", "line break"],
    ["a LABEL value with a newline", { kind: "label", key: "a", value: "x\ny" }, "unrenderable-value", "line break"],
    ["a LABEL key with a newline", { kind: "label", key: "a\nb", value: "x" }, "unrenderable-value", "line break"],
    ["a LABEL key with =", { kind: "label", key: "a=b", value: "x" }, "unrenderable-value", "first `=`"],
    ["an empty ENV key", { kind: "env", key: "", value: "x" }, "unrenderable-value", "blank names"],
    ["a WORKDIR with a newline", { kind: "workdir", path: "/a\n/b" }, "unrenderable-value", "line break"],
    ["a USER with a newline", { kind: "user", user: "a\nRUN rm -rf /" }, "unrenderable-value", "line break"],
    ["an ARG default with a newline", { kind: "arg", name: "A", default: "x\ny" }, "unrenderable-value", "line break"],
    ["a COPY path with a newline", { kind: "copy", sources: ["a\nb"], dest: "/d" }, "unrenderable-value", "line break"],
    ["a COPY without sources", { kind: "copy", sources: [], dest: "/d" }, "unrenderable-value", "at least one source"],
    [
      "a shell line with a newline",
      { kind: "run", command: { form: "shell", lines: ["echo a\necho b"] } },
      "unrenderable-value",
      "runScript",
    ],
    ["an empty shell command", { kind: "run", command: { form: "shell", lines: [" ", ""] } }, "unrenderable-value", "empty"],
    ["an empty exec argv", { kind: "run", command: { form: "exec", argv: [] } }, "unrenderable-value", "program"],
    ["an empty SHELL", { kind: "shell", argv: [] }, "unrenderable-value", "SHELL needs a program"],
    ["an empty healthcheck", { kind: "healthcheck", test: [] }, "unrenderable-value", "HEALTHCHECK CMD"],
    ["a lone surrogate", { kind: "env", key: "A", value: "\ud800x" }, "unrenderable-value", "lone UTF-16 surrogate"],
    ["a lone surrogate in exec form", { kind: "cmd", argv: ["\udc00"] }, "unrenderable-value", "surrogate"],
    ["a malformed substitution", { kind: "env", key: "A", value: "${A" }, "unrenderable-value", "missing '}'"],
    ["a bad substitution", { kind: "env", key: "A", value: "${:x}" }, "unrenderable-value", "bad substitution"],
    ["an unsupported modifier", { kind: "workdir", path: "${A=b}" }, "unrenderable-value", "unsupported modifier (=)"],
    ["a quote in a pattern word", { kind: "env", key: "A", value: "${B#it's}" }, "unrenderable-value", "quote inside"],
    ["a non-ASCII chown", { kind: "copy", sources: ["a"], dest: "/b", chown: "jürgen" }, "unrenderable-value", "ASCII"],
    ["a chown with a blank", { kind: "copy", sources: ["a"], dest: "/b", chown: "a b" }, "unrenderable-value", "whitespace"],
    ["an exclude with $", { kind: "copy", sources: ["a"], dest: "/b", exclude: ["$X"] }, "unrenderable-value", "`$`"],
    [
      "a mount target with a comma",
      { kind: "run", command: { form: "exec", argv: ["x"] }, mounts: [{ type: "cache", target: "/a,b" }] },
      "unrenderable-value",
      "a comma",
    ],
    [
      "a negative mount uid",
      { kind: "run", command: { form: "exec", argv: ["x"] }, mounts: [{ type: "cache", target: "/a", uid: -1 }] },
      "unrenderable-value",
      "whole number",
    ],
    ["a port out of range", { kind: "expose", port: 70000, protocol: "tcp" }, "unrenderable-value", "0 to 65535"],
    ["a fractional retries", { kind: "healthcheck", test: ["x"], retries: 1.5 }, "unrenderable-value", "whole number"],
    ["a non-ASCII duration", { kind: "healthcheck", test: ["x"], interval: "5µs" }, "unrenderable-value", "ASCII"],
  ])("%s", (_, step, code, fragment) => {
    const error = renderError(single(step));
    expect(error.code).toBe(code);
    expect(error).toMatchObject({ stage: "main", step: 0, kind: step.kind });
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('stage "main", step 0');
  });

  test("a line longer than a Dockerfile line can hold", () => {
    const script = `echo ${"x".repeat(70000)}`;
    const error = renderError(single({ kind: "run", command: { form: "script", script } }));
    expect(error).toMatchObject({ code: "unrenderable-value", step: 0, kind: "run" });
    expect(error.message).toContain("more than the 65535");
    // a heredoc helps only when each line is short enough
    expect(() => renderDockerfile(single({ kind: "run", command: { form: "script", script: script.replace(" ", "\n") } }), {
      syntax: "docker/dockerfile:1.7",
    })).toThrow(/more than the 65535/);
    expect(() =>
      renderDockerfile(single({ kind: "run", command: { form: "script", script: "a\n".repeat(40000) } }), {
        syntax: "docker/dockerfile:1.7",
      }),
    ).not.toThrow();
  });
});

describe("stage errors", () => {
  test("a stage base that is no earlier stage", () => {
    const error = renderError(
      spec([
        { id: "a", base: { stage: "b" }, steps: [] },
        { id: "b", base: "scratch", steps: [] },
      ]),
    );
    expect(error).toMatchObject({ code: "unknown-stage", stage: "a", value: "b" });
    expect(error.message).toContain("would read it as an image name");
  });

  test("copyFrom a stage that is no earlier stage", () => {
    const error = renderError(
      spec([{ id: "a", base: "scratch", steps: [{ kind: "copyFrom", stage: "a", sources: ["/x"], dest: "/y" }] }]),
    );
    expect(error).toMatchObject({ code: "unknown-stage", stage: "a", step: 0, kind: "copyFrom", value: "a" });
  });

  test("an image base named like an earlier stage", () => {
    const error = renderError(
      spec([
        { id: "python", base: { image: "python:3.11" }, steps: [] },
        { id: "app", base: { image: "python" }, steps: [] },
      ]),
    );
    expect(error).toMatchObject({ code: "unknown-stage", stage: "app", value: "python" });
  });

  test("duplicate stage ids and ids that are no Dockerfile stage name", () => {
    expect(
      renderError(
        spec([
          { id: "a", base: "scratch", steps: [] },
          { id: "a", base: "scratch", steps: [] },
        ]),
      ).code,
    ).toBe("unknown-stage");
    expect(
      renderError(
        spec([
          { id: "Build", base: "scratch", steps: [] },
          { id: "b", base: "scratch", steps: [] },
        ]),
      ).code,
    ).toBe("unrenderable-value");
  });

  test("an image reference a FROM line cannot carry", () => {
    const error = renderError(spec([{ id: "a", base: { image: "python:3.11\nRUN x" }, steps: [] }]));
    expect(error).toMatchObject({ code: "unrenderable-value", stage: "a" });
    expect(renderError(spec([{ id: "a", base: { image: "$BASE" }, steps: [] }])).code).toBe("unrenderable-value");
  });

  test("no stage, or another IR version", () => {
    expect(renderError(spec([])).code).toBe("unsupported-ir");
    expect(renderError({ ...single(), irVersion: 2 } as unknown as ImageSpec).code).toBe("unsupported-ir");
  });
});

describe("option errors", () => {
  test.each(["", " docker/dockerfile:1", "docker/dockerfile:1\nRUN x", "\ud800"])("syntax %j", (syntax) => {
    expect(renderError(single(), { syntax })).toMatchObject({ code: "invalid-option", value: syntax });
  });
});
