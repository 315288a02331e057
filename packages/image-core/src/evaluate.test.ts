import { describe, expect, it } from "vitest";
import type { BaseImageConfig, ImageConfig } from "./config.ts";
import { DEFAULT_PATH } from "./config.ts";
import { ChutesError } from "./errors.ts";
import type { EvaluatedStep, StepState } from "./evaluate.ts";
import { DEFAULT_SHELL, evaluate } from "./evaluate.ts";
import { ExpansionError } from "./expand.ts";
import type { ImageSpec, Stage, StageBase, Step } from "./ir.ts";

function spec(...stages: Stage[]): ImageSpec {
  return { irVersion: 1, ref: { username: "me", name: "app", tag: "latest" }, stages };
}

function stage(id: string, base: StageBase, steps: Step[]): Stage {
  return { id, base, steps };
}

const EMPTY_CONFIG: ImageConfig = {
  Env: [`PATH=${DEFAULT_PATH}`],
  Entrypoint: null,
  Cmd: null,
  WorkingDir: "",
  User: "",
  Labels: {},
  ExposedPorts: {},
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

/** The config of a one-stage spec from scratch. */
function configOf(steps: Step[], options: Parameters<typeof evaluate>[1] = {}): ImageConfig {
  return evaluate(spec(stage("main", "scratch", steps)), options).config;
}

describe("evaluate: a stage from scratch", () => {
  it("has only the default PATH", () => {
    expect(evaluate(spec(stage("main", "scratch", [])))).toEqual({
      stages: [{ id: "main", steps: [], config: EMPTY_CONFIG }],
      config: EMPTY_CONFIG,
    });
  });

  it("shows each step the default state", () => {
    const run: Step = { kind: "run", command: { form: "exec", argv: ["true"] } };
    const evaluation = evaluate(spec(stage("main", "scratch", [run])));
    expect(evaluation.stages[0]?.steps).toEqual([
      {
        index: 0,
        step: { kind: "run", command: { form: "exec", argv: ["true"] } },
        state: {
          env: [["PATH", DEFAULT_PATH]],
          args: [],
          runEnv: [["PATH", DEFAULT_PATH]],
          workdir: "/",
          user: "",
          shell: ["/bin/sh", "-c"],
        },
      },
    ]);
    expect(DEFAULT_SHELL).toEqual(["/bin/sh", "-c"]);
  });
});

describe("evaluate: every step kind", () => {
  const base: BaseImageConfig = {
    Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"],
    WorkingDir: "/srv",
    User: "app",
    Cmd: ["python3"],
    Labels: { "org.base": "1" },
  };
  const steps: Step[] = [
    { kind: "arg", name: "VERSION", default: "1.0" },
    { kind: "env", key: "APP_HOME", value: "/opt/app-$VERSION" },
    { kind: "workdir", path: "$APP_HOME" },
    {
      kind: "run",
      command: { form: "shell", lines: ["echo $APP_HOME"] },
      mounts: [{ type: "cache", target: "/root/.cache" }],
    },
    { kind: "copy", sources: ["requirements-$VERSION.txt"], dest: "./", chown: "${UID:-1000}:0" },
    {
      kind: "add",
      sources: ["https://example.com/v$VERSION.tgz"],
      dest: "vendor/",
      checksum: "sha256:${SUM:-abc}",
      chmod: "644",
    },
    { kind: "copyFrom", stage: "builder", sources: ["/out/$VERSION"], dest: "bin" },
    { kind: "user", user: "${RUN_AS:-nobody}" },
    { kind: "label", key: "org.version", value: "$VERSION" },
    { kind: "expose", port: 8000, protocol: "tcp" },
    {
      kind: "healthcheck",
      test: ["curl", "-f", "http://localhost:$PORT/"],
      interval: "30s",
      timeout: "5s",
      retries: 3,
    },
    { kind: "shell", argv: ["/bin/bash", "-c"] },
    { kind: "entrypoint", argv: ["python3", "-m", "app"] },
    { kind: "cmd", argv: ["--port", "$PORT"] },
  ];
  const evaluation = evaluate(
    spec(stage("builder", "scratch", []), stage("main", { image: "python:3.11-slim" }, steps)),
    { baseConfig: base },
  );

  const baseEnv = [
    ["PATH", "/usr/local/bin:/usr/bin:/bin"],
    ["LANG", "C.UTF-8"],
  ] as const;
  const initial: StepState = {
    env: baseEnv,
    args: [],
    runEnv: baseEnv,
    workdir: "/srv",
    user: "app",
    shell: ["/bin/sh", "-c"],
  };
  const afterArg: StepState = { ...initial, args: [["VERSION", "1.0"]], runEnv: [...baseEnv, ["VERSION", "1.0"]] };
  const afterEnv: StepState = {
    ...afterArg,
    env: [...baseEnv, ["APP_HOME", "/opt/app-1.0"]],
    runEnv: [...baseEnv, ["VERSION", "1.0"], ["APP_HOME", "/opt/app-1.0"]],
  };
  const inApp: StepState = { ...afterEnv, workdir: "/opt/app-1.0" };
  const asNobody: StepState = { ...inApp, user: "nobody" };
  const withBash: StepState = { ...asNobody, shell: ["/bin/bash", "-c"] };

  it("expands values and resolves paths, step by step", () => {
    const expected: EvaluatedStep[] = [
      { index: 0, step: { kind: "arg", name: "VERSION", default: "1.0" }, state: initial },
      { index: 1, step: { kind: "env", key: "APP_HOME", value: "/opt/app-1.0" }, state: afterArg },
      { index: 2, step: { kind: "workdir", path: "/opt/app-1.0" }, state: afterEnv },
      // A run step is not expanded: the shell does that.
      { index: 3, step: steps[3]!, state: inApp },
      {
        index: 4,
        step: { kind: "copy", sources: ["requirements-1.0.txt"], dest: "/opt/app-1.0/", chown: "1000:0" },
        state: inApp,
      },
      {
        index: 5,
        step: {
          kind: "add",
          sources: ["https://example.com/v1.0.tgz"],
          dest: "/opt/app-1.0/vendor/",
          checksum: "sha256:abc",
          chmod: "644",
        },
        state: inApp,
      },
      {
        index: 6,
        step: { kind: "copyFrom", stage: "builder", sources: ["/out/1.0"], dest: "/opt/app-1.0/bin" },
        state: inApp,
      },
      { index: 7, step: { kind: "user", user: "nobody" }, state: inApp },
      { index: 8, step: { kind: "label", key: "org.version", value: "1.0" }, state: asNobody },
      { index: 9, step: { kind: "expose", port: 8000, protocol: "tcp" }, state: asNobody },
      // Healthcheck, entrypoint, cmd and shell argv are not expanded either.
      { index: 10, step: steps[10]!, state: asNobody },
      { index: 11, step: { kind: "shell", argv: ["/bin/bash", "-c"] }, state: asNobody },
      { index: 12, step: { kind: "entrypoint", argv: ["python3", "-m", "app"] }, state: withBash },
      { index: 13, step: { kind: "cmd", argv: ["--port", "$PORT"] }, state: withBash },
    ];
    expect(evaluation.stages[1]?.steps).toEqual(expected);
  });

  it("computes the image config", () => {
    const config: ImageConfig = {
      Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "APP_HOME=/opt/app-1.0"],
      Entrypoint: ["python3", "-m", "app"],
      Cmd: ["--port", "$PORT"],
      WorkingDir: "/opt/app-1.0",
      User: "nobody",
      Labels: { "org.base": "1", "org.version": "1.0" },
      ExposedPorts: { "8000/tcp": {} },
      Healthcheck: {
        Test: ["CMD", "curl", "-f", "http://localhost:$PORT/"],
        Interval: 30_000_000_000,
        Timeout: 5_000_000_000,
        Retries: 3,
      },
      Shell: ["/bin/bash", "-c"],
    };
    expect(evaluation.config).toEqual(config);
    expect(evaluation.stages.map((s) => s.id)).toEqual(["builder", "main"]);
    expect(evaluation.stages[0]?.config).toEqual(EMPTY_CONFIG);
    expect(evaluation.stages[1]?.config).toBe(evaluation.config);
  });
});

describe("evaluate: PATH", () => {
  it("prepends to the default PATH and keeps its position", () => {
    expect(configOf([{ kind: "env", key: "PATH", value: "/opt/python/bin:$PATH" }]).Env).toEqual([
      "PATH=/opt/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ]);
  });

  it("appends the default PATH to a base env that has none", () => {
    const evaluation = evaluate(
      spec(stage("main", { image: "imported" }, [{ kind: "env", key: "PATH", value: "/venv/bin:$PATH" }])),
      { baseConfig: { Env: ["LANG=C"] } },
    );
    expect(evaluation.config.Env).toEqual(["LANG=C", `PATH=/venv/bin:${DEFAULT_PATH}`]);
  });

  it("keeps the base image's PATH", () => {
    const evaluation = evaluate(spec(stage("main", { image: "debian" }, [])), {
      baseConfig: (image) => (image === "debian" ? { Env: ["PATH=/bin", "HOME=/root"] } : undefined),
    });
    expect(evaluation.config).toEqual({ ...EMPTY_CONFIG, Env: ["PATH=/bin", "HOME=/root"] });
  });

  it("treats an image the baseConfig function does not know as empty", () => {
    const evaluation = evaluate(spec(stage("main", { image: "unknown" }, [])), { baseConfig: () => undefined });
    expect(evaluation.config).toEqual(EMPTY_CONFIG);
  });
});

describe("evaluate: base image config", () => {
  const base: BaseImageConfig = {
    Env: ["PATH=/usr/bin:/bin", "NOVALUE", "A=1=2"],
    Entrypoint: ["/docker-entrypoint.sh"],
    Cmd: ["nginx", "-g", "daemon off;"],
    WorkingDir: "/usr/share/nginx",
    User: "nginx",
    Labels: { zeta: "z", alpha: "a" },
    ExposedPorts: { "80/tcp": {} },
    Healthcheck: { Test: ["CMD", "true"], Interval: 1_000_000_000 },
    Shell: ["/bin/bash", "-o", "pipefail", "-c"],
  };

  it("inherits env, workdir, user, entrypoint, cmd, labels, ports, healthcheck and shell", () => {
    const evaluation = evaluate(
      spec(
        stage("main", { image: "nginx" }, [
          { kind: "label", key: "mid", value: "m" },
          { kind: "expose", port: 443, protocol: "tcp" },
          { kind: "run", command: { form: "shell", lines: ["true"] } },
        ]),
      ),
      { baseConfig: base },
    );
    expect(evaluation.config).toEqual({
      Env: ["PATH=/usr/bin:/bin", "NOVALUE", "A=1=2"],
      Entrypoint: ["/docker-entrypoint.sh"],
      Cmd: ["nginx", "-g", "daemon off;"],
      WorkingDir: "/usr/share/nginx",
      User: "nginx",
      Labels: { alpha: "a", mid: "m", zeta: "z" },
      ExposedPorts: { "443/tcp": {}, "80/tcp": {} },
      Healthcheck: { Test: ["CMD", "true"], Interval: 1_000_000_000 },
      Shell: ["/bin/bash", "-o", "pipefail", "-c"],
    });
    expect(Object.keys(evaluation.config.Labels)).toEqual(["alpha", "mid", "zeta"]);
    expect(Object.keys(evaluation.config.ExposedPorts)).toEqual(["443/tcp", "80/tcp"]);
    expect(evaluation.stages[0]?.steps[2]?.state).toEqual({
      env: [
        ["PATH", "/usr/bin:/bin"],
        ["NOVALUE", ""],
        ["A", "1=2"],
      ],
      args: [],
      runEnv: [
        ["PATH", "/usr/bin:/bin"],
        ["NOVALUE", ""],
        ["A", "1=2"],
      ],
      workdir: "/usr/share/nginx",
      user: "nginx",
      shell: ["/bin/bash", "-o", "pipefail", "-c"],
    });
  });

  it("resets an inherited Cmd when the stage sets an entrypoint", () => {
    const evaluation = evaluate(spec(stage("main", { image: "nginx" }, [{ kind: "entrypoint", argv: ["/start"] }])), {
      baseConfig: base,
    });
    expect(evaluation.config.Entrypoint).toEqual(["/start"]);
    expect(evaluation.config.Cmd).toBeNull();
  });

  it("keeps a Cmd set earlier in the stage when it sets an entrypoint", () => {
    const evaluation = evaluate(
      spec(
        stage("main", { image: "nginx" }, [
          { kind: "cmd", argv: ["serve"] },
          { kind: "entrypoint", argv: ["/start"] },
        ]),
      ),
      { baseConfig: base },
    );
    expect(evaluation.config.Entrypoint).toEqual(["/start"]);
    expect(evaluation.config.Cmd).toEqual(["serve"]);
  });

  it("lets a later cmd replace the one an entrypoint reset", () => {
    const config = configOf([
      { kind: "cmd", argv: ["a"] },
      { kind: "cmd", argv: ["b"] },
      { kind: "entrypoint", argv: ["e1"] },
      { kind: "entrypoint", argv: ["e2"] },
    ]);
    expect([config.Entrypoint, config.Cmd]).toEqual([["e2"], ["b"]]);
  });

  it("reads an empty entrypoint or cmd as null, as an image config stores it", () => {
    const config = configOf([
      { kind: "cmd", argv: [] },
      { kind: "entrypoint", argv: [] },
    ]);
    expect([config.Entrypoint, config.Cmd]).toEqual([null, null]);
  });
});

describe("evaluate: stages based on stages", () => {
  const parent = stage("base", { image: "python" }, [
    { kind: "arg", name: "PY", default: "3.11" },
    { kind: "env", key: "PATH", value: "/opt/py$PY/bin:$PATH" },
    { kind: "workdir", path: "/app" },
    { kind: "user", user: "app" },
    { kind: "label", key: "stage", value: "base" },
    { kind: "cmd", argv: ["python"] },
  ]);

  it("inherits the config, the state and the args of the stage", () => {
    const evaluation = evaluate(
      spec(
        parent,
        stage("final", { stage: "base" }, [
          { kind: "env", key: "WHERE", value: "$PWD-$PY" },
          { kind: "workdir", path: "src" },
          { kind: "entrypoint", argv: ["python", "-m", "app"] },
        ]),
      ),
    );
    const final = evaluation.stages[1];
    expect(final?.steps[0]?.state).toEqual({
      env: [["PATH", `/opt/py3.11/bin:${DEFAULT_PATH}`]],
      args: [["PY", "3.11"]],
      runEnv: [
        ["PY", "3.11"],
        ["PATH", `/opt/py3.11/bin:${DEFAULT_PATH}`],
      ],
      workdir: "/app",
      user: "app",
      shell: ["/bin/sh", "-c"],
    });
    expect(evaluation.config).toEqual({
      Env: [`PATH=/opt/py3.11/bin:${DEFAULT_PATH}`, "WHERE=-3.11"],
      Entrypoint: ["python", "-m", "app"],
      // The cmd was set in the parent stage, not in this one: the entrypoint resets it.
      Cmd: null,
      WorkingDir: "/app/src",
      User: "app",
      Labels: { stage: "base" },
      ExposedPorts: {},
    });
    expect(evaluation.stages[0]?.config.Cmd).toEqual(["python"]);
  });

  it("lets the config env of the parent override its args of the same name", () => {
    const evaluation = evaluate(
      spec(
        stage("one", "scratch", [
          { kind: "env", key: "X", value: "env" },
          { kind: "arg", name: "X", default: "arg" },
          { kind: "env", key: "SEEN", value: "$X" },
        ]),
        stage("two", { stage: "one" }, [{ kind: "env", key: "SEEN", value: "$X" }]),
      ),
    );
    expect(evaluation.stages[0]?.config.Env).toEqual([`PATH=${DEFAULT_PATH}`, "X=env", "SEEN=arg"]);
    expect(evaluation.stages[1]?.config.Env).toEqual([`PATH=${DEFAULT_PATH}`, "X=env", "SEEN=env"]);
  });

  it("refuses a stage that is not defined before", () => {
    const later = thrown(() =>
      evaluate(spec(stage("a", { stage: "b" }, []), stage("b", "scratch", []))),
    );
    expect(later).toBeInstanceOf(ChutesError);
    expect((later as ChutesError).code).toBe("unknown-stage");
    expect((later as ChutesError).message).toBe('stage "a" is based on stage "b", which is not defined before it');
    const missing = thrown(() => evaluate(spec(stage("a", { stage: "nope" }, []))));
    expect((missing as ChutesError).code).toBe("unknown-stage");
  });
});

describe("evaluate: working directories and destinations", () => {
  it("resolves relative workdirs against the current one and keeps absolute ones as written", () => {
    const evaluation = evaluate(
      spec(
        stage("main", "scratch", [
          { kind: "workdir", path: "a" },
          { kind: "workdir", path: "b/../c" },
          { kind: "workdir", path: "./d/" },
          { kind: "workdir", path: ".." },
          { kind: "workdir", path: "/srv/app/" },
          { kind: "workdir", path: "x" },
          { kind: "workdir", path: "" },
          { kind: "workdir", path: "../../../.." },
        ]),
      ),
    );
    const steps = evaluation.stages[0]?.steps ?? [];
    expect(steps.map((s) => [s.state.workdir, s.step])).toEqual([
      ["/", { kind: "workdir", path: "/a" }],
      ["/a", { kind: "workdir", path: "/a/c" }],
      ["/a/c", { kind: "workdir", path: "/a/c/d" }],
      ["/a/c/d", { kind: "workdir", path: "/a/c" }],
      ["/a/c", { kind: "workdir", path: "/srv/app/" }],
      ["/srv/app/", { kind: "workdir", path: "/srv/app/x" }],
      ["/srv/app/x", { kind: "workdir", path: "/srv/app/x" }],
      ["/srv/app/x", { kind: "workdir", path: "/" }],
    ]);
    expect(evaluation.config.WorkingDir).toBe("/");
  });

  it("resolves copy destinations against the workdir, keeping a trailing slash", () => {
    const dests = ["app", "app/", ".", "", "./", "sub/.", "../up", "/abs//dir/", "/abs/file"];
    const evaluation = evaluate(
      spec(
        stage("main", "scratch", [
          { kind: "workdir", path: "/work" },
          ...dests.map((dest): Step => ({ kind: "copy", sources: ["f"], dest })),
        ]),
      ),
    );
    const copies = (evaluation.stages[0]?.steps ?? []).slice(1);
    const resolved = copies.map((s) => (s.step.kind === "copy" ? s.step.dest : ""));
    expect(resolved).toEqual([
      "/work/app",
      "/work/app/",
      "/work/",
      "/work/",
      "/work/",
      "/work/sub/.",
      "/up",
      "/abs//dir/",
      "/abs/file",
    ]);
  });

  it("resolves a destination against / when no workdir was set", () => {
    const evaluation = evaluate(
      spec(
        stage("main", "scratch", [
          { kind: "copy", sources: ["a"], dest: "." },
          { kind: "copy", sources: ["a"], dest: "opt/" },
        ]),
      ),
    );
    expect(evaluation.stages[0]?.steps.map((s) => (s.step.kind === "copy" ? s.step.dest : ""))).toEqual(["/", "/opt/"]);
    expect(evaluation.config.WorkingDir).toBe("");
  });
});

describe("evaluate: args and env", () => {
  it("lets an env set after an arg win, and an arg set after an env win (one scope, as in BuildKit)", () => {
    const evaluation = evaluate(
      spec(
        stage("main", "scratch", [
          { kind: "arg", name: "A", default: "from-arg" },
          { kind: "env", key: "A", value: "from-env" },
          { kind: "env", key: "B", value: "from-env" },
          { kind: "arg", name: "B", default: "from-arg" },
          { kind: "env", key: "SEEN", value: "$A $B" },
        ]),
      ),
    );
    const last = evaluation.stages[0]?.steps[4];
    expect(last?.step).toEqual({ kind: "env", key: "SEEN", value: "from-env from-arg" });
    expect(last?.state.runEnv).toEqual([
      ["PATH", DEFAULT_PATH],
      ["A", "from-env"],
      ["B", "from-arg"],
    ]);
    expect(last?.state.args).toEqual([
      ["A", "from-arg"],
      ["B", "from-arg"],
    ]);
    expect(evaluation.config.Env).toEqual([
      `PATH=${DEFAULT_PATH}`,
      "A=from-env",
      "B=from-env",
      "SEEN=from-env from-arg",
    ]);
  });

  it("takes build args over defaults, without expanding them, and expands defaults", () => {
    const config = configOf(
      [
        { kind: "env", key: "HOME", value: "/root" },
        { kind: "arg", name: "GIVEN", default: "default" },
        { kind: "arg", name: "RAW" },
        { kind: "arg", name: "DERIVED", default: "$HOME/.cache" },
        { kind: "env", key: "OUT", value: "$GIVEN|$RAW|$DERIVED" },
      ],
      { buildArgs: { GIVEN: "given", RAW: "$HOME", UNUSED: "x" } },
    );
    expect(config.Env).toEqual([`PATH=${DEFAULT_PATH}`, "HOME=/root", "OUT=given|$HOME|/root/.cache"]);
  });

  it("declares an arg without value or build arg, but leaves it unset", () => {
    const evaluation = evaluate(
      spec(
        stage("main", "scratch", [
          { kind: "env", key: "KEPT", value: "env" },
          { kind: "arg", name: "KEPT" },
          { kind: "arg", name: "NONE" },
          { kind: "arg", name: "constructor" },
          { kind: "env", key: "OUT", value: "$KEPT ${NONE-unset} ${NONE:-empty} [$constructor]" },
        ]),
      ),
      { buildArgs: {} },
    );
    const last = evaluation.stages[0]?.steps[4];
    expect(last?.step).toEqual({ kind: "env", key: "OUT", value: "env unset empty []" });
    expect(last?.state.args).toEqual([
      ["KEPT", ""],
      ["NONE", ""],
      ["constructor", ""],
    ]);
    expect(last?.state.runEnv).toEqual([
      ["PATH", DEFAULT_PATH],
      ["KEPT", "env"],
    ]);
  });

  it("sets an arg declared again to its new value, in its first position", () => {
    const evaluation = evaluate(
      spec(
        stage("main", "scratch", [
          { kind: "arg", name: "V", default: "1" },
          { kind: "arg", name: "W", default: "w" },
          { kind: "arg", name: "V", default: "$V.2" },
          { kind: "run", command: { form: "shell", lines: ["true"] } },
        ]),
      ),
    );
    const last = evaluation.stages[0]?.steps[3];
    expect(evaluation.stages[0]?.steps[2]?.step).toEqual({ kind: "arg", name: "V", default: "1.2" });
    expect(last?.state.args).toEqual([
      ["V", "1.2"],
      ["W", "w"],
    ]);
    expect(last?.state.runEnv).toEqual([
      ["PATH", DEFAULT_PATH],
      ["W", "w"],
      ["V", "1.2"],
    ]);
  });

  it("never puts args in the config", () => {
    expect(configOf([{ kind: "arg", name: "SECRET_SAUCE", default: "x" }])).toEqual(EMPTY_CONFIG);
  });

  it("expands ${X:-default} in env, label, user and paths", () => {
    const config = configOf(
      [
        { kind: "env", key: "PORT", value: "${PORT:-8000}" },
        { kind: "env", key: "MODE", value: "${MODE:-prod}" },
        { kind: "label", key: "${NS:-org.example}.port", value: "$PORT" },
        { kind: "user", user: "${UID:-1000}:${GID:-1000}" },
        { kind: "workdir", path: "/srv/${APP:-app}" },
      ],
      { buildArgs: { MODE: "dev" } },
    );
    expect(config).toEqual({
      ...EMPTY_CONFIG,
      Env: [`PATH=${DEFAULT_PATH}`, "PORT=8000", "MODE=prod"],
      Labels: { "org.example.port": "8000" },
      User: "1000:1000",
      WorkingDir: "/srv/app",
    });
  });

  it("reports the stage and step of a value that cannot be expanded", () => {
    const error = thrown(() =>
      configOf([
        { kind: "label", key: "a", value: "ok" },
        { kind: "env", key: "X", value: "${X" },
      ]),
    );
    expect(error).toBeInstanceOf(ExpansionError);
    expect((error as ExpansionError).code).toBe("invalid-substitution");
    expect((error as ExpansionError).text).toBe("${X");
    expect((error as ExpansionError).message).toBe(`stage "main", step 1 (env): cannot expand "\${X": missing '}'`);
    const required = thrown(() => configOf([{ kind: "workdir", path: "${APP_DIR?set APP_DIR}" }]));
    expect((required as ExpansionError).code).toBe("unset-variable");
  });
});

describe("evaluate: healthcheck", () => {
  it("turns durations into nanoseconds and leaves out what is not given or zero", () => {
    expect(
      configOf([
        {
          kind: "healthcheck",
          test: ["pg_isready"],
          interval: "1m30s",
          timeout: "0s",
          startPeriod: "1.5s",
          startInterval: "500ms",
          retries: 0,
        },
      ]).Healthcheck,
    ).toEqual({
      Test: ["CMD", "pg_isready"],
      Interval: 90_000_000_000,
      StartPeriod: 1_500_000_000,
      StartInterval: 500_000_000,
    });
    expect(configOf([{ kind: "healthcheck", test: ["true"] }]).Healthcheck).toEqual({ Test: ["CMD", "true"] });
  });

  it("disables an inherited healthcheck with NONE", () => {
    const evaluation = evaluate(spec(stage("main", { image: "x" }, [{ kind: "healthcheck", test: null }])), {
      baseConfig: { Healthcheck: { Test: ["CMD", "true"], Retries: 3 } },
    });
    expect(evaluation.config.Healthcheck).toEqual({ Test: ["NONE"] });
  });

  it("refuses a duration Go would not parse", () => {
    const error = thrown(() => configOf([{ kind: "healthcheck", test: ["true"], interval: "30 seconds" }]));
    expect(error).toBeInstanceOf(ChutesError);
    expect((error as ChutesError).code).toBe("invalid-duration");
    expect((error as ChutesError).message).toBe(
      'stage "main", step 0 (healthcheck): interval "30 seconds" is not a duration such as 30s, 1m30s or 500ms',
    );
  });
});

describe("evaluate: purity", () => {
  const steps: Step[] = [
    { kind: "run", command: { form: "shell", lines: ["a", "b"] }, mounts: [{ type: "secret", id: "token" }] },
    { kind: "entrypoint", argv: ["x"] },
    { kind: "copy", sources: ["a", "b"], dest: "/d/", exclude: ["*.pyc"] },
  ];
  const base: BaseImageConfig = { Env: ["PATH=/bin"], Cmd: ["sh"], Labels: { a: "b" } };
  const input = spec(stage("main", { image: "x" }, steps));

  it("is deterministic", () => {
    const first = evaluate(input, { baseConfig: base });
    const second = evaluate(input, { baseConfig: base });
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("returns deeply frozen data that shares nothing with the input", () => {
    const evaluation = evaluate(input, { baseConfig: base });
    const evaluated = evaluation.stages[0]?.steps ?? [];
    expect(Object.isFrozen(evaluation)).toBe(true);
    expect(Object.isFrozen(evaluation.config.Env)).toBe(true);
    expect(Object.isFrozen(evaluation.config.Labels)).toBe(true);
    expect(Object.isFrozen(evaluated[0]?.state.env[0])).toBe(true);
    const run = evaluated[0]?.step;
    expect(run).toEqual(steps[0]);
    expect(run).not.toBe(steps[0]);
    expect(run?.kind === "run" && run.mounts).not.toBe(steps[0]?.kind === "run" && steps[0].mounts);
    expect(Object.isFrozen(run?.kind === "run" ? run.command : undefined)).toBe(true);
    expect(evaluated[2]?.step).toEqual(steps[2]);
    expect(evaluation.config.Labels).not.toBe(base.Labels);
    // The input stays as it was: not frozen, not changed.
    expect(Object.isFrozen(steps[0])).toBe(false);
    expect(Object.isFrozen(base.Labels)).toBe(false);
    expect(base).toEqual({ Env: ["PATH=/bin"], Cmd: ["sh"], Labels: { a: "b" } });
  });

  it("evaluates a spec without stages to an empty config", () => {
    expect(evaluate(spec())).toEqual({ stages: [], config: { ...EMPTY_CONFIG, Env: [] } });
  });
});
