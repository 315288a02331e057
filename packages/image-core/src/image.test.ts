import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PATH } from "./config.ts";
import { ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { DEFAULT_BASE_IMAGE, Image, MAINTAINER_LABEL } from "./image.ts";
import type { ImageSpec } from "./ir.ts";

const THIS_FILE = new URL(import.meta.url).pathname;

function codes(issues: readonly Issue[]): string[] {
  return issues.map((issue) => issue.code);
}

describe("Image: construction and identity", () => {
  it("has the seed's signature and defaults the tag to latest", () => {
    const image = new Image("mycompany", "ai-model");
    expect(image.ref).toEqual({ username: "mycompany", name: "ai-model", tag: "latest" });
    expect(image.readme).toBeUndefined();
    expect(image.toString()).toBe("mycompany/ai-model:latest");
    expect(image.uid).toBe("f812a878-a43e-5768-9ffe-773c336664df");
  });

  it("carries the readme in the IR", () => {
    const image = new Image("myuser", "myapp", "1.0.0", "# Docs").fromBase("python:3.11-slim");
    expect(image.toJSON().readme).toBe("# Docs");
    expect(image.readme).toBe("# Docs");
  });

  it("is immutable: every method returns a new frozen image and leaves the receiver unchanged", () => {
    const base = new Image("myuser", "ai-base", "1.0.0").fromBase("python:3.11-slim").withEnv("A", "1");
    const before = JSON.stringify(base.toJSON());
    const derived = base.runCommand("pip install numpy").withEnv("B", "2").setUser("1000");
    expect(derived).not.toBe(base);
    expect(JSON.stringify(base.toJSON())).toBe(before);
    expect(Object.isFrozen(base)).toBe(true);
    expect(Object.isFrozen(base.toJSON())).toBe(true);
    expect(Object.isFrozen(base.toJSON().stages[0]?.steps)).toBe(true);
    expect(derived.toJSON().stages[0]?.steps).toHaveLength(4);
  });

  it("recognises images from any copy of the package by brand", () => {
    expect(Image.isImage(new Image("a", "b"))).toBe(true);
    expect(Image.isImage({ toJSON: () => ({}) })).toBe(false);
    expect(Image.isImage(null)).toBe(false);
  });

  it("has a digest that is stable and content-addressed", () => {
    const make = () => new Image("myuser", "myapp", "1.0.0").fromBase("python:3.11-slim").withEnv("A", "1");
    expect(make().digest()).toBe(make().digest());
    // Pinned: a change here means the canonical serialization changed, which invalidates every stored digest.
    expect(make().digest()).toBe("sha256:e550ff257f99d6bd7e8ba82168f860271691979188ac3d01233647380a2b0c2e");
    expect(make().withEnv("B", "2").digest()).not.toBe(make().digest());
  });
});

describe("Image: the IR each method produces", () => {
  it("produces exact steps", () => {
    const image = new Image("myuser", "myapp", "1.0.0")
      .fromBase("python:3.11-slim")
      .runCommand(
        `
        apt update &&
        apt install -y git curl   # tools
        `,
      )
      .runCommand(["python", "-V"], { network: "none" })
      .runScript("set -e\necho one\necho two\n", { interpreter: ["/bin/bash"] })
      .add("requirements.txt", "/app/requirements.txt", { chown: "1000:1000", chmod: "644" })
      .add("https://example.com/model.bin", "/models/", { checksum: `sha256:${"a".repeat(64)}` })
      .copy(["src/", "setup.py"], "/app/", { exclude: ["**/*.pyc"] })
      .withEnv("PYTHONPATH", "/app")
      .withEnv("PRICE", "$5", { literal: true })
      .setWorkdir("/app")
      .setUser("appuser")
      .withUser(1000)
      .withEntrypoint(["python", "-m", "myapp"])
      .withCmd(["--port", "8000"])
      .exposePort(8000)
      .exposePort(53, "udp")
      .withLabel("version", "1.0.0")
      .withMaintainer("team@company.com")
      .withHealthcheck(["curl", "-f", "http://localhost:8000/"], { interval: "30s", retries: 3 })
      .withHealthcheck(null)
      .withArg("VERSION", "1.0")
      .withShell(["/bin/bash", "-o", "pipefail", "-c"]);
    const expected: ImageSpec = {
      irVersion: 1,
      ref: { username: "myuser", name: "myapp", tag: "1.0.0" },
      stages: [
        {
          id: "myapp",
          base: { image: "python:3.11-slim" },
          steps: [
            { kind: "run", command: { form: "shell", lines: ["apt update &&", "apt install -y git curl"] } },
            { kind: "run", command: { form: "exec", argv: ["python", "-V"] }, network: "none" },
            { kind: "run", command: { form: "script", script: "set -e\necho one\necho two\n", interpreter: ["/bin/bash"] } },
            { kind: "add", sources: ["requirements.txt"], dest: "/app/requirements.txt", chown: "1000:1000", chmod: "644" },
            { kind: "add", sources: ["https://example.com/model.bin"], dest: "/models/", checksum: `sha256:${"a".repeat(64)}` },
            { kind: "copy", sources: ["src/", "setup.py"], dest: "/app/", exclude: ["**/*.pyc"] },
            { kind: "env", key: "PYTHONPATH", value: "/app" },
            { kind: "env", key: "PRICE", value: "\\$5" },
            { kind: "workdir", path: "/app" },
            { kind: "user", user: "appuser" },
            { kind: "user", user: "1000" },
            { kind: "entrypoint", argv: ["python", "-m", "myapp"] },
            { kind: "cmd", argv: ["--port", "8000"] },
            { kind: "expose", port: 8000, protocol: "tcp" },
            { kind: "expose", port: 53, protocol: "udp" },
            { kind: "label", key: "version", value: "1.0.0" },
            { kind: "label", key: MAINTAINER_LABEL, value: "team@company.com" },
            { kind: "healthcheck", test: ["curl", "-f", "http://localhost:8000/"], interval: "30s", retries: 3 },
            { kind: "healthcheck", test: null },
            { kind: "arg", name: "VERSION", default: "1.0" },
            { kind: "shell", argv: ["/bin/bash", "-o", "pipefail", "-c"] },
          ],
        },
      ],
    };
    expect(image.toJSON()).toEqual(expected);
    expect(image.validate()).toEqual([]);
  });

  it("fromBase replaces the base; withEntrypoint and withCmd replace earlier ones in the config", () => {
    const image = new Image("u", "app", "1")
      .fromBase("ubuntu:22.04")
      .fromBase("python:3.11-slim")
      .withEntrypoint(["a"])
      .withEntrypoint(["b"])
      .withCmd(["x"])
      .withCmd(["y"]);
    expect(image.toJSON().stages[0]?.base).toEqual({ image: "python:3.11-slim" });
    const config = image.inspect();
    expect(config.Entrypoint).toEqual(["b"]);
    expect(config.Cmd).toEqual(["y"]);
  });

  it("aptInstall makes one layer with update, no recommends, non-interactive, and list cleanup", () => {
    const image = new Image("u", "app", "1").fromBase("debian:bookworm").aptInstall(["git", "curl"]).aptRemove("wget curl");
    expect(image.toJSON().stages[0]?.steps).toEqual([
      {
        kind: "run",
        command: {
          form: "shell",
          lines: [
            "apt-get update &&",
            "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git curl &&",
            "rm -rf /var/lib/apt/lists/*",
          ],
        },
      },
      {
        kind: "run",
        command: {
          form: "shell",
          lines: ["DEBIAN_FRONTEND=noninteractive apt-get purge -y --auto-remove wget curl &&", "rm -rf /var/lib/apt/lists/*"],
        },
      },
    ]);
  });

  it("withPython installs a packaged Python with a script", () => {
    const step = new Image("u", "app", "1").fromBase("debian:bookworm").withPython("3.11").toJSON().stages[0]?.steps[0];
    expect(step?.kind).toBe("run");
    const command = step?.kind === "run" ? step.command : undefined;
    expect(command?.form).toBe("script");
    const script = command?.form === "script" ? command.script : "";
    expect(script).toContain("v=3.11\n");
    expect(script).toContain('apt-get install -y --no-install-recommends $pkgs');
    expect(script).toContain("rm -rf /var/lib/apt/lists/*");
    expect(script).not.toMatch(/configure|make install/);
  });

  it("with() applies a preset function", () => {
    const withPythonEnv = (image: Image) => image.withEnv("PYTHONUNBUFFERED", "1").withEnv("PYTHONDONTWRITEBYTECODE", "1");
    const image = new Image("u", "app", "1").fromBase("python:3.11-slim").with(withPythonEnv);
    expect(image.toJSON().stages[0]?.steps.map((step) => (step.kind === "env" ? step.key : step.kind))).toEqual([
      "PYTHONUNBUFFERED",
      "PYTHONDONTWRITEBYTECODE",
    ]);
  });
});

describe("Image: multi-stage", () => {
  const builder = new Image("myuser", "builder", "latest")
    .fromBase("python:3.11")
    .runCommand("pip install -r /tmp/requirements.txt --target /opt/python-packages");

  it("lays dependencies out as earlier named stages", () => {
    const app = new Image("myuser", "myapp", "1.0.0")
      .fromBase("python:3.11-slim")
      .copyFrom(builder, "/opt/python-packages", "/opt/python-packages")
      .copyFrom(builder, ["/usr/local/bin/a", "/usr/local/bin/b"], "/usr/local/bin/");
    const spec = app.toJSON();
    expect(spec.stages.map((stage) => stage.id)).toEqual(["builder", "myapp"]);
    expect(spec.stages[1]?.steps).toEqual([
      { kind: "copyFrom", stage: "builder", sources: ["/opt/python-packages"], dest: "/opt/python-packages" },
      { kind: "copyFrom", stage: "builder", sources: ["/usr/local/bin/a", "/usr/local/bin/b"], dest: "/usr/local/bin/" },
    ]);
    expect(app.validate()).toEqual([]);
  });

  it("renames stages whose names clash, and supports fromBase(image)", () => {
    const other = new Image("someone", "builder").fromBase("alpine:3.20").runCommand("echo other");
    const base = new Image("myuser", "myapp").fromBase("debian:bookworm").runCommand("echo base");
    const app = new Image("myuser", "myapp", "1.0.0")
      .fromBase(base)
      .copyFrom(builder, "/a", "/a")
      .copyFrom(other, "/b", "/b");
    const spec = app.toJSON();
    expect(spec.stages.map((stage) => [stage.id, stage.base])).toEqual([
      ["myapp", { image: "debian:bookworm" }],
      ["builder", { image: "python:3.11" }],
      ["builder-2", { image: "alpine:3.20" }],
      ["myapp-2", { stage: "myapp" }],
    ]);
    expect(app.validate()).toEqual([]);
  });
});

describe("Image: JSON round trip", () => {
  it("is lossless for a multi-stage image", () => {
    const builder = new Image("myuser", "builder").fromBase("python:3.11").runCommand("make");
    const app = new Image("myuser", "myapp", "1.0.0", "readme")
      .fromBase("python:3.11-slim")
      .copyFrom(builder, "/out", "/out")
      .runCommand("echo hi", { mounts: [{ type: "cache", target: "/root/.cache/pip", sharing: "locked" }] });
    const json = JSON.stringify(app);
    const back = Image.fromJSON(json);
    expect(JSON.stringify(back)).toBe(json);
    expect(back.toJSON()).toEqual(app.toJSON());
    expect(back.digest()).toBe(app.digest());
    expect(back.uid).toBe(app.uid);
  });

  it("keeps unreferenced earlier stages and odd stage ids", () => {
    const spec: ImageSpec = {
      irVersion: 1,
      ref: { username: "u", name: "n", tag: "t" },
      stages: [
        { id: "unused_stage", base: "scratch", steps: [] },
        { id: "n", base: { stage: "unused_stage" }, steps: [{ kind: "env", key: "A", value: "1" }] },
      ],
    };
    expect(Image.fromJSON(spec).toJSON()).toEqual(spec);
  });

  it("round-trips arbitrary builder chains (property)", () => {
    const call = fc.oneof(
      fc.record({ m: fc.constant("env"), k: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), v: fc.string() }),
      fc.record({ m: fc.constant("run"), v: fc.string({ minLength: 1 }) }),
      fc.record({ m: fc.constant("exec"), a: fc.array(fc.string(), { minLength: 1, maxLength: 3 }) }),
      fc.record({ m: fc.constant("copy"), v: fc.stringMatching(/^[a-z][a-z0-9/._-]{0,10}$/), d: fc.string({ minLength: 1 }) }),
      fc.record({ m: fc.constant("label"), k: fc.string({ minLength: 1 }), v: fc.string() }),
      fc.record({ m: fc.constant("port"), p: fc.integer({ min: 1, max: 65535 }) }),
    );
    fc.assert(
      fc.property(fc.array(call, { maxLength: 12 }), (calls) => {
        let image = new Image("u", "app", "1").fromBase("debian:bookworm");
        for (const c of calls) {
          if (c.m === "env") image = image.withEnv(c.k, c.v);
          else if (c.m === "run") image = image.runCommand(c.v);
          else if (c.m === "exec") image = image.runCommand(c.a);
          else if (c.m === "copy") image = image.copy(c.v, c.d);
          else if (c.m === "label") image = image.withLabel(c.k, c.v);
          else image = image.exposePort(c.p);
        }
        const json = JSON.stringify(image);
        expect(JSON.stringify(Image.fromJSON(json))).toBe(json);
      }),
    );
  });

  it("throws a ValidationError for text that is not JSON, another irVersion, or the wrong shape", () => {
    const attempt = (input: unknown): Issue[] => {
      try {
        Image.fromJSON(input);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return [...(error as ValidationError).issues];
      }
      throw new Error("expected a ValidationError");
    };
    expect(codes(attempt("{not json"))).toEqual(["invalid-json"]);
    expect(attempt({ irVersion: 2 })).toEqual([
      {
        code: "unsupported-ir-version",
        severity: "error",
        method: "fromJSON",
        path: ["irVersion"],
        value: 2,
        message: "irVersion 2 is not supported; this version of @chutes/image-core reads irVersion 1",
      },
    ]);
    const shape = attempt({
      irVersion: 1,
      ref: { username: "u", name: "n", tag: "t" },
      stages: [{ id: "n", base: "scratch", steps: [{ kind: "teleport" }] }],
    });
    expect(codes(shape)).toEqual(["invalid-ir"]);
    expect(shape[0]?.path).toEqual(["stages", 0, "steps", 0, "kind"]);
    expect(codes(attempt({ irVersion: 1, ref: { username: "u", name: "n", tag: "t" }, stages: [] }))).toEqual(["invalid-ir"]);
  });
});

describe("Image: deferred validation", () => {
  it("collects every issue with its method, step, value and the caller's line", () => {
    const line = Number(new Error().stack?.split("\n")[1]?.match(/:(\d+):\d+\)?$/)?.[1]);
    const image = new Image("My_User", "-bad-", "no spaces allowed")
      .fromBase("Python:3.11")
      .withEnv("1BAD", "x")
      .exposePort(70000)
      .add("../secrets.txt", "/app/")
      .copy("/etc/passwd", "/app/", { chown: "a:b:c", chmod: "999" })
      .add("model.bin", "/m/", { checksum: "md5:abc" })
      .aptInstall(["good-pkg", "Bad_Pkg"])
      .withPython("2.7")
      .withHealthcheck(["true"], { interval: "soon" });
    const issues = image.validate();
    expect(codes(issues)).toEqual([
      "invalid-username",
      "invalid-name",
      "invalid-tag",
      "invalid-image-reference",
      "invalid-env-key",
      "invalid-port",
      "source-outside-context",
      "source-outside-context",
      "invalid-chown",
      "invalid-chmod",
      "invalid-checksum",
      "checksum-requires-remote",
      "invalid-apt-package",
      "invalid-python-version",
      "invalid-duration",
    ]);
    const env = issues.find((issue) => issue.code === "invalid-env-key");
    expect(env).toEqual({
      code: "invalid-env-key",
      severity: "error",
      method: "withEnv",
      stage: "bad",
      step: 0,
      path: ["stages", 0, "steps", 0, "key"],
      value: "1BAD",
      message: 'environment variable name "1BAD" is not valid: use letters, digits and "_", not starting with a digit (e.g. "_1BAD")',
      location: { file: THIS_FILE, line: line + 3, column: expect.any(Number) as number },
    });
    const apt = issues.find((issue) => issue.code === "invalid-apt-package");
    expect(apt).toMatchObject({ method: "aptInstall", step: 5, value: "Bad_Pkg", location: { file: THIS_FILE, line: line + 8 } });
    expect(issues.find((issue) => issue.code === "invalid-username")).toMatchObject({
      method: "constructor",
      value: "My_User",
      location: { file: THIS_FILE, line: line + 1 },
    });
  });

  it("tells which method and line made a step (originOf)", () => {
    const line = Number(new Error().stack?.split("\n")[1]?.match(/:(\d+):\d+\)?$/)?.[1]);
    const image = new Image("u", "app", "1").fromBase("debian:bookworm").withEnv("A", "1").aptInstall(["git"]);
    expect(image.originOf("app", 1)).toEqual({ method: "aptInstall", location: { file: THIS_FILE, line: line + 1, column: expect.any(Number) as number } });
    expect(image.originOf("app", 2)).toBeUndefined();
    expect(image.originOf("nope", 0)).toBeUndefined();
    expect(Image.fromJSON(image.toJSON()).originOf("app", 0)).toEqual({ method: "fromJSON" });
  });

  it("throws one ValidationError listing them all from inspect", () => {
    const image = new Image("u", "app", "1").fromBase("python:3.11").withEnv("A B", "1").exposePort(0);
    expect(() => image.inspect()).toThrow(ValidationError);
    try {
      image.assertValid();
    } catch (error) {
      expect((error as ValidationError).code).toBe("validation-failed");
      expect((error as ValidationError).message.split("\n")[0]).toBe("2 problems in the image definition:");
      expect((error as ValidationError).issues).toHaveLength(2);
    }
  });

  it("reports an empty package list and a preset that returned nothing", () => {
    const broken = (() => undefined) as unknown as (image: Image) => Image;
    const issues = new Image("u", "app", "1").aptInstall([]).with(broken).validate();
    // Issues without a step (the with() call) come before the stage's step issues.
    expect(codes(issues)).toEqual(["invalid-transform", "empty-package-list"]);
  });

  it("starts from the Chutes SDK's default base until fromBase replaces it", () => {
    const image = new Image("mycompany", "custom-ai");
    expect(image.toJSON().stages[0]?.base).toEqual({ image: DEFAULT_BASE_IMAGE });
    expect(DEFAULT_BASE_IMAGE).toBe("parachutes/python:3.12");
    expect(image.validate()).toEqual([]);
  });

  it("reports quoted strings that span lines in runCommand", () => {
    const issues = new Image("u", "app", "1").fromBase("python:3.11").runCommand('python -c "import sys\nprint(1)"').validate();
    expect(codes(issues)).toEqual(["quote-spans-lines"]);
  });

  it("reports checksums and keepGitDir on the wrong sources, and copy of a URL", () => {
    const issues = new Image("u", "app", "1")
      .fromBase("python:3.11")
      .add("https://github.com/org/repo.git#v1", "/src", { keepGitDir: true })
      .add("https://example.com/f.tgz", "/f", { keepGitDir: true })
      .copy("https://example.com/f.tgz", "/f")
      .validate();
    expect(codes(issues)).toEqual(["keep-git-dir-requires-git", "remote-source-in-copy"]);
  });
});

describe("Image.inspect: the seed's Testing Images section as real assertions", () => {
  it("test_image_has_correct_environment", () => {
    const image = new Image("test", "myapp", "test").fromBase("python:3.11-slim").withEnv("TEST_VAR", "test_value");
    const config = image.inspect({ Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"] });
    expect(config.Env).toEqual(["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "TEST_VAR=test_value"]);
  });

  it("test_image_security", () => {
    const image = new Image("test", "secure-app", "test").fromBase("python:3.11-slim").setUser("1000:1000");
    expect(image.inspect().User).toBe("1000:1000");
  });

  it("uses Docker's default PATH when the base has none, and expands $PATH", () => {
    const image = new Image("u", "app", "1").fromBase("scratch").withEnv("PATH", "/opt/python/bin:$PATH");
    expect(image.inspect().Env).toEqual([`PATH=/opt/python/bin:${DEFAULT_PATH}`]);
  });
});
