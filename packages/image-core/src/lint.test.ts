import { describe, expect, it } from "vitest";
import { ChutesError } from "./errors.ts";
import { lint, lintRules } from "./lint.ts";
import type { LintFinding, LintRule } from "./lint.ts";
import type { AddStep, CopyStep, ImageSpec, Mount, RunStep, Stage, StageBase, Step } from "./ir.ts";
import { pythonInstallScript } from "./python.ts";

// ---------------------------------------------------------------------------------------------------------
// IR helpers (the builder is tested elsewhere; these are plain IR objects)

const run = (...lines: string[]): RunStep => ({ kind: "run", command: { form: "shell", lines } });
const runWith = (mounts: readonly Mount[], ...lines: string[]): RunStep => ({ kind: "run", command: { form: "shell", lines }, mounts });
const script = (text: string, interpreter?: readonly string[]): RunStep => ({
  kind: "run",
  command: interpreter === undefined ? { form: "script", script: text } : { form: "script", script: text, interpreter },
});
const exec = (...argv: string[]): RunStep => ({ kind: "run", command: { form: "exec", argv } });
const add = (src: string | string[], dest: string): AddStep => ({ kind: "add", sources: typeof src === "string" ? [src] : src, dest });
const copy = (src: string | string[], dest: string): CopyStep => ({ kind: "copy", sources: typeof src === "string" ? [src] : src, dest });
const env = (key: string, value: string): Step => ({ kind: "env", key, value });
const user = (name: string): Step => ({ kind: "user", user: name });
const workdir = (path: string): Step => ({ kind: "workdir", path });
const label = (key: string, value: string): Step => ({ kind: "label", key, value });
const arg = (name: string, value?: string): Step => (value === undefined ? { kind: "arg", name } : { kind: "arg", name, default: value });
const expose = (port: number): Step => ({ kind: "expose", port, protocol: "tcp" });
const cmd = (...argv: string[]): Step => ({ kind: "cmd", argv });

/** One stage on a pinned base, a version tag, and whatever steps the test gives. */
function image(steps: readonly Step[], options: { tag?: string; base?: StageBase } = {}): ImageSpec {
  return {
    irVersion: 1,
    ref: { username: "myuser", name: "myapp", tag: options.tag ?? "1.0.0" },
    stages: [{ id: "main", base: options.base ?? { image: "python:3.11-slim" }, steps }],
  };
}

function stages(...list: Stage[]): ImageSpec {
  return { irVersion: 1, ref: { username: "myuser", name: "myapp", tag: "1.0.0" }, stages: list };
}

/** The findings of one rule. */
const only = (rule: string, spec: ImageSpec): LintFinding[] => lint(spec).filter((finding) => finding.rule === rule);
/** `rule@step` for every finding, in lint's order: exact and short, for tables and the seed's examples. */
const summary = (spec: ImageSpec): string[] =>
  lint(spec).map((finding) => `${finding.rule}${finding.step === undefined ? "" : `@${finding.step}`}`);
/** The rules one run step (with a user set, so non-root-user stays quiet) triggers. */
const rulesOf = (step: Step): string[] =>
  lint(image([step, user("appuser")])).map((finding) => finding.rule);

/** What `aptInstall(["curl", "git"])` generates: it must pass every apt rule. */
const APT_INSTALL = run(
  "apt-get update &&",
  "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl git &&",
  "rm -rf /var/lib/apt/lists/*",
);

/** A well-made image: no findings at all. */
const GOOD: readonly Step[] = [
  APT_INSTALL,
  workdir("/app"),
  copy("requirements.txt", "/app/requirements.txt"),
  run("pip install --no-cache-dir -r /app/requirements.txt"),
  copy("src/", "/app/src/"),
  env("PYTHONUNBUFFERED", "1"),
  run("useradd -m -u 1000 appuser"),
  user("appuser"),
  expose(8000),
  cmd("python", "-m", "src.main"),
];

/** Folds a seed `run_command` text the way runCommand does (trim, drop blanks and trailing comments). */
const fold = (text: string): RunStep =>
  run(
    ...text
      .split("\n")
      .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
      .filter((line) => line !== ""),
  );

// Fake secrets are assembled at run time so no scanner mistakes this file for a leak.
const FAKE = {
  aws: "AKIAIOSFODNN7EXAMPLE", // AWS's documented example key id
  github: `ghp_${"aB3dE5fG7h".repeat(3)}aB3dE5`,
  hf: `hf_${"Xy7Kq2Lm9P".repeat(3)}`,
  openai: `sk-${"Tq8Zr4Wn6V".repeat(3)}`,
  slack: ["xoxb", "1234567890", "abcdefABCDEF"].join("-"),
  pem: ["-----BEGIN RSA", "PRIVATE", "KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"].join(" "),
};

// ---------------------------------------------------------------------------------------------------------

describe("lint", () => {
  it("finds nothing in a well-made image", () => {
    expect(lint(image(GOOD))).toEqual([]);
  });

  it("accepts an Image (anything with toJSON) as well as the IR", () => {
    const spec = image([run("apt-get update")]);
    expect(lint({ toJSON: () => spec })).toEqual(lint(spec));
  });

  it("sorts image-wide findings first, then by stage order, step and rule id", () => {
    const spec: ImageSpec = {
      irVersion: 1,
      ref: { username: "myuser", name: "myapp", tag: "latest" },
      stages: [
        { id: "build", base: { image: "python" }, steps: [run("apt-get install curl"), run("pip install x")] },
        { id: "final", base: { stage: "build" }, steps: [expose(22), workdir("app")] },
      ],
    };
    expect(lint(spec).map((finding) => [finding.stage, finding.step, finding.rule])).toEqual([
      [undefined, undefined, "latest-tag"],
      ["build", undefined, "unpinned-base-image"],
      ["build", 0, "apt-install-recommends"],
      ["build", 0, "apt-missing-cleanup"],
      ["build", 0, "apt-missing-update"],
      ["build", 0, "apt-missing-yes"],
      ["build", 1, "pip-cache"],
      ["final", undefined, "non-root-user"],
      ["final", 0, "expose-ssh"],
      ["final", 1, "relative-workdir"],
    ]);
  });

  it("does not crash on a spec without stages, or loop on stages based on each other", () => {
    expect(lint({ irVersion: 1, ref: { username: "u", name: "n", tag: "1" }, stages: [] })).toEqual([]);
    const cycle = stages(
      { id: "a", base: { stage: "b" }, steps: [env("PIP_NO_CACHE_DIR", "1")] },
      { id: "b", base: { stage: "a" }, steps: [run("pip install x")] },
    );
    expect(summary(cycle)).toEqual(["non-root-user"]);
  });

  it("reads frozen IR without changing it, and gives the same answer every time", () => {
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === "object" && value !== null) {
        for (const inner of Object.values(value)) deepFreeze(inner);
        Object.freeze(value);
      }
      return value;
    };
    const spec = deepFreeze(image([run("apt-get update"), ...GOOD, workdir("x")], { tag: "latest" }));
    const before = JSON.stringify(spec);
    const first = lint(spec);
    expect(lint(spec)).toEqual(first);
    expect(JSON.stringify(spec)).toBe(before);
  });

  describe("options", () => {
    const spec = image([run("apt-get update")]);

    it('silences a rule set to "off"', () => {
      expect(summary(spec)).toEqual(["non-root-user", "apt-update-alone@0"]);
      const silenced = lint(spec, { rules: { "apt-update-alone": "off" } });
      expect(silenced.map((finding) => finding.rule)).toEqual(["non-root-user"]);
    });

    it("replaces a rule's severity", () => {
      const [finding] = lint(spec, { rules: { "non-root-user": "error", "apt-update-alone": "off" } });
      expect(finding).toMatchObject({ rule: "non-root-user", severity: "error" });
      expect(lint(spec)[0]).toMatchObject({ rule: "non-root-user", severity: "warning" });
    });

    it("refuses unknown rule ids and settings", () => {
      expect(() => lint(spec, { rules: { "no-such-rule": "off" } })).toThrow(ChutesError);
      expect(() => lint(spec, { rules: { "no-such-rule": "off" } })).toThrow(/unknown lint rule "no-such-rule"/);
      try {
        lint(spec, { rules: { "latest-tag": "loud" as "off" } });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ChutesError);
        expect((error as ChutesError).code).toBe("invalid-lint-options");
      }
    });
  });

  describe("lintRules", () => {
    it("has stable, unique, kebab-case ids", () => {
      expect(lintRules.map((rule) => [rule.id, rule.severity])).toEqual([
        ["non-root-user", "warning"],
        ["latest-tag", "warning"],
        ["unpinned-base-image", "warning"],
        ["apt-update-alone", "warning"],
        ["apt-missing-update", "warning"],
        ["apt-missing-cleanup", "warning"],
        ["apt-missing-yes", "error"],
        ["apt-install-recommends", "info"],
        ["prefer-apt-get", "info"],
        ["apt-upgrade", "info"],
        ["deps-after-source", "warning"],
        ["pip-cache", "warning"],
        ["secret-in-config", "error"],
        ["secret-in-run", "error"],
        ["folded-continuation", "warning"],
        ["prefer-copy", "info"],
        ["relative-workdir", "info"],
        ["expose-ssh", "warning"],
        ["sudo-after-user", "info"],
      ]);
      for (const rule of lintRules) {
        expect(rule.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
        expect(rule.description.length).toBeGreaterThan(20);
      }
    });

    it("lets a rule be run alone, with its default severity", () => {
      const rule = lintRules.find((candidate) => candidate.id === "apt-missing-yes")!;
      expect(rule.check(image([run("apt-get remove curl")]))).toEqual([
        {
          rule: "apt-missing-yes",
          severity: "error",
          message:
            '"apt-get remove curl" has no -y: apt asks "Do you want to continue? [Y/n]", and with no terminal to answer it the build aborts (or depends on the package set staying small enough not to ask).',
          fix: 'add -y ("apt-get remove -y curl")',
          stage: "main",
          step: 0,
        },
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("non-root-user", () => {
  const FIX = 'create an unprivileged user and switch to it as the last steps: .runCommand("useradd -m -u 1000 appuser").setUser("appuser")';

  it("fires when the image sets no user", () => {
    expect(lint(image([cmd("python", "main.py")]))).toEqual([
      {
        rule: "non-root-user",
        severity: "warning",
        message:
          "The image sets no user, so it runs as the base image's user, root for almost every base: a process that escapes the application owns the container.",
        fix: FIX,
        stage: "main",
      },
    ]);
  });

  it("fires on root, 0, 0:0 and root:group, at the user step", () => {
    for (const name of ["root", "0", "0:0", "root:root", "0:1000", " root "]) {
      expect(lint(image([user(name), cmd("python")]))).toEqual([
        {
          rule: "non-root-user",
          severity: "warning",
          message: `The image runs as root (.setUser(${JSON.stringify(name)})): a process that escapes the application owns the container, and files it writes to mounted volumes are root's.`,
          fix: FIX,
          stage: "main",
          step: 0,
        },
      ]);
    }
  });

  it("does not fire for other users", () => {
    for (const name of ["appuser", "1000", "1000:1000", "65534:65534", "nobody", "rootless"]) {
      expect(only("non-root-user", image([user(name)]))).toEqual([]);
    }
  });

  it("takes the last user step", () => {
    expect(summary(image([user("appuser"), run("whoami"), user("root")]))).toEqual(["non-root-user@2"]);
    expect(summary(image([user("root"), run("whoami"), user("appuser")]))).toEqual([]);
  });

  it("inherits the user through stage bases, and only the final stage counts", () => {
    const base: Stage = { id: "base", base: { image: "python:3.11-slim" }, steps: [user("appuser")] };
    expect(summary(stages(base, { id: "final", base: { stage: "base" }, steps: [cmd("python")] }))).toEqual([]);
    const rootBase: Stage = { id: "base", base: { image: "python:3.11-slim" }, steps: [user("root")] };
    expect(only("non-root-user", stages(rootBase, { id: "final", base: { stage: "base" }, steps: [] }))).toMatchObject([
      { stage: "base", step: 0 },
    ]);
    // A user set in a builder stage does not carry into a final stage built on an image.
    expect(only("non-root-user", stages(base, { id: "final", base: { image: "python:3.11-slim" }, steps: [] }))).toMatchObject([
      { stage: "final" },
    ]);
  });
});

describe("latest-tag", () => {
  it("fires for the default tag, before every other finding", () => {
    expect(lint(image([user("appuser")], { tag: "latest" }))).toEqual([
      {
        rule: "latest-tag",
        severity: "warning",
        message:
          'The image is tagged "latest" (the default): a deployment cannot tell which build it runs, and rolling back means rebuilding. Avoid "latest" in production.',
        fix: 'give a version tag: new Image("myuser", "myapp", "1.0.0")',
      },
    ]);
  });

  it("does not fire for a version tag", () => {
    for (const tag of ["1.0.0", "v1.2.3-python3.11-cuda11.8", "dev", "latest-gpu"]) {
      expect(only("latest-tag", image([], { tag }))).toEqual([]);
    }
  });
});

describe("unpinned-base-image", () => {
  it("fires for a base without a tag or with latest", () => {
    expect(only("unpinned-base-image", image([], { base: { image: "python" } }))).toEqual([
      {
        rule: "unpinned-base-image",
        severity: "warning",
        message:
          'The base image "python" has no tag, so it means "python:latest": the build is not reproducible and changes whenever the base is pushed.',
        fix: 'pin a version tag, or a digest for full reproducibility: .fromBase("python:<version>") or .fromBase("python@sha256:<digest>")',
        stage: "main",
      },
    ]);
    expect(only("unpinned-base-image", image([], { base: { image: "nvidia/cuda:latest" } }))).toEqual([
      {
        rule: "unpinned-base-image",
        severity: "warning",
        message:
          'The base image "nvidia/cuda:latest" uses the "latest" tag: the build is not reproducible and changes whenever the base is pushed.',
        fix: 'pin a version tag, or a digest for full reproducibility: .fromBase("nvidia/cuda:<version>") or .fromBase("nvidia/cuda@sha256:<digest>")',
        stage: "main",
      },
    ]);
    // A registry port is not a tag.
    expect(only("unpinned-base-image", image([], { base: { image: "localhost:5000/team/python" } }))).toMatchObject([
      { stage: "main" },
    ]);
  });

  it("does not fire for tags, digests, scratch or stages", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    for (const base of [
      { image: "python:3.11-slim" },
      { image: `python@${digest}` },
      { image: `python:3.11@${digest}` },
      { image: "localhost:5000/team/python:3.11" },
      { image: "nvidia/cuda:11.8-devel-ubuntu22.04" },
      "scratch" as const,
    ]) {
      expect(only("unpinned-base-image", image([], { base }))).toEqual([]);
    }
    const spec = stages(
      { id: "base", base: { image: "python:3.11-slim" }, steps: [] },
      { id: "final", base: { stage: "base" }, steps: [] },
    );
    expect(only("unpinned-base-image", spec)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("apt rules", () => {
  it("pass the exact shape aptInstall and aptRemove generate", () => {
    expect(rulesOf(APT_INSTALL)).toEqual([]);
    expect(
      rulesOf(run("DEBIAN_FRONTEND=noninteractive apt-get purge -y --auto-remove curl &&", "rm -rf /var/lib/apt/lists/*")),
    ).toEqual([]);
    expect(rulesOf(run(APT_INSTALL.command.form === "shell" ? APT_INSTALL.command.lines.join(" ") : ""))).toEqual([]);
  });

  it("pass the script withPython generates", () => {
    expect(rulesOf(script(pythonInstallScript("3.11")))).toEqual([]);
  });

  it("report each mistake once per step, with its fix", () => {
    expect(lint(image([run("apt-get update"), run("apt-get install curl"), user("appuser")]))).toEqual([
      {
        rule: "apt-update-alone",
        severity: "warning",
        message:
          '.runCommand("apt-get update") updates the package lists without installing anything in the same step. The layer is cached, so a later install in another step uses lists that grow stale and eventually point at packages the mirror no longer has.',
        fix: 'update and install in one step: .aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step (replacing step 1)',
        stage: "main",
        step: 0,
      },
      {
        rule: "apt-install-recommends",
        severity: "info",
        message:
          '"apt-get install curl" also installs every package the named ones recommend, often hundreds of MB that the image never uses.',
        fix: 'add --no-install-recommends ("apt-get install --no-install-recommends curl"), and name what you need; or use .aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step',
        stage: "main",
        step: 1,
      },
      {
        rule: "apt-missing-cleanup",
        severity: "warning",
        message:
          '"apt-get install curl" leaves the package lists (tens of MB) in the layer: removing them in a later step does not shrink the image, since each step is its own layer. Clean up in the same layer.',
        fix: 'end the same step with the cleanup: .runCommand("apt-get install curl && rm -rf /var/lib/apt/lists/*"); or use .aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step',
        stage: "main",
        step: 1,
      },
      {
        rule: "apt-missing-update",
        severity: "warning",
        message:
          '"apt-get install curl" runs without "apt-get update" before it in the same step: it depends on package lists from an older layer (or none, since base images ship without them), so it installs stale versions or fails.',
        fix: 'run "apt-get update &&" first in the same runCommand, or use .aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step',
        stage: "main",
        step: 1,
      },
      {
        rule: "apt-missing-yes",
        severity: "error",
        message:
          '"apt-get install curl" has no -y: apt asks "Do you want to continue? [Y/n]", and with no terminal to answer it the build aborts (or depends on the package set staying small enough not to ask).',
        fix: 'add -y ("apt-get install -y curl"), or use .aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step',
        stage: "main",
        step: 1,
      },
    ]);
  });

  it("apt-update-alone: an update with no install in the same step", () => {
    expect(rulesOf(run("apt-get update"))).toEqual(["apt-update-alone"]);
    expect(rulesOf(run("apt-get update -qq && apt-cache policy curl"))).toEqual(["apt-update-alone"]);
    expect(rulesOf(run("apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
    // An upgrade uses the lists too (and has its own findings).
    expect(rulesOf(run("apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*"))).toEqual(["apt-upgrade"]);
    expect(only("apt-update-alone", image([run("apt-get update")]))[0]?.fix).toBe(
      'update and install in one step: .aptInstall(["<package>"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends <package> && rm -rf /var/lib/apt/lists/*" in one step',
    );
  });

  it("apt-missing-update: an install without an update before it in the same step", () => {
    expect(rulesOf(run("apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"))).toEqual(["apt-missing-update"]);
    // Updating after the install does not help the install.
    expect(rulesOf(run("apt-get install -y --no-install-recommends curl && apt-get update && rm -rf /var/lib/apt/lists/*"))).toEqual([
      "apt-missing-update",
    ]);
    expect(rulesOf(run("apt-get update -q && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
  });

  it("apt-missing-cleanup: the lists must go in the same step, after the install", () => {
    expect(rulesOf(run("apt-get update && apt-get install -y --no-install-recommends curl"))).toEqual(["apt-missing-cleanup"]);
    expect(rulesOf(run("rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends curl"))).toEqual([
      "apt-missing-cleanup",
    ]);
    expect(
      lint(image([run("apt-get update && apt-get install -y --no-install-recommends curl"), run("rm -rf /var/lib/apt/lists/*"), user("appuser")])).map(
        (finding) => `${finding.rule}@${finding.step ?? ""}`,
      ),
    ).toEqual(["apt-missing-cleanup@0"]);
    for (const cleanup of ["rm -rf /var/lib/apt/lists/*", "rm -rf /var/lib/apt/lists", "apt-get clean && rm -r /var/lib/apt/lists/* /tmp/*"]) {
      expect(rulesOf(run(`apt-get update && apt-get install -y --no-install-recommends curl && ${cleanup}`))).toEqual([]);
    }
    // The lists live in a cache mount, not in the layer.
    const mounted = runWith([{ type: "cache", target: "/var/lib/apt/lists" }], "apt-get update && apt-get install -y --no-install-recommends curl");
    expect(rulesOf(mounted)).toEqual([]);
  });

  it("apt-missing-yes: install, remove and upgrade need -y (in any spelling)", () => {
    for (const command of ["apt-get install curl", "apt-get purge curl", "apt-get autoremove", "apt-get dist-upgrade"]) {
      expect(rulesOf(run(`apt-get update && ${command} && rm -rf /var/lib/apt/lists/*`))).toContain("apt-missing-yes");
    }
    for (const yes of ["-y", "-qy", "-yq", "-qqy", "--yes", "--assume-yes", "-o APT::Get::Assume-Yes=true"]) {
      expect(rulesOf(run(`apt-get update && apt-get install ${yes} --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`))).toEqual([]);
    }
    expect(rulesOf(run("apt-get update && apt-get -y install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
    // Subcommands that never prompt.
    expect(rulesOf(run("apt-get clean && apt-get autoclean && apt-get update -q && apt-get install -y --no-install-recommends x && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
  });

  it("apt-install-recommends: install without --no-install-recommends", () => {
    expect(rulesOf(run("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"))).toEqual(["apt-install-recommends"]);
    expect(
      rulesOf(run("apt-get update && apt-get install -y -o APT::Install-Recommends=false curl && rm -rf /var/lib/apt/lists/*")),
    ).toEqual([]);
  });

  it("prefer-apt-get: apt in a script", () => {
    expect(only("prefer-apt-get", image([run("apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*")]))).toEqual([
      {
        rule: "prefer-apt-get",
        severity: "info",
        message:
          '"apt update" uses apt, whose command line is for interactive use: its output and behaviour may change between releases, and it warns "apt does not have a stable CLI interface".',
        fix: 'use apt-get: .runCommand("apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"); or .aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step',
        stage: "main",
        step: 0,
      },
    ]);
    expect(rulesOf(run("apt remove --purge -y wget curl"))).toEqual(["prefer-apt-get"]);
  });

  it("apt-upgrade: upgrade and dist-upgrade", () => {
    expect(rulesOf(run("apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*"))).toEqual(["apt-upgrade"]);
    expect(rulesOf(run("apt-get update && apt-get full-upgrade -y && rm -rf /var/lib/apt/lists/*"))).toEqual(["apt-upgrade"]);
    expect(rulesOf(APT_INSTALL)).not.toContain("apt-upgrade");
  });

  it("read shell text with quotes, paths, wrappers and the three run forms", () => {
    // Quoted text is not a command.
    expect(rulesOf(run('echo "apt-get install curl" && echo \'apt update\''))).toEqual([]);
    // Programs by path, behind sudo/env, with redirections.
    expect(rulesOf(run("/usr/bin/apt-get update > /dev/null 2>&1 && env DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y --no-install-recommends curl 2>/dev/null && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
    // Scripts: a line end separates commands.
    expect(rulesOf(script("set -e\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\n"))).toEqual([]);
    expect(rulesOf(script("set -e\napt-get update\napt-get install -y --no-install-recommends curl\n"))).toEqual(["apt-missing-cleanup"]);
    // A script for another interpreter is not read as shell.
    expect(rulesOf(script("import os\nos.system('apt-get install curl')\n", ["python3", "-c"]))).toEqual([]);
    // Exec form: argv, or the script of `sh -c`.
    expect(rulesOf(exec("apt-get", "install", "-y", "curl"))).toEqual(["apt-install-recommends", "apt-missing-cleanup", "apt-missing-update"]);
    expect(rulesOf(exec("/bin/sh", "-c", "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
    // $(...) stays one word.
    expect(rulesOf(run("apt-get update && apt-get install -y --no-install-recommends $(cat packages.txt | grep -v '#') && rm -rf /var/lib/apt/lists/*"))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("deps-after-source", () => {
  it("fires when source comes before a manifest and its install", () => {
    const spec = image([
      add("src/", "/app/src/"),
      add("requirements.txt", "/tmp/requirements.txt"),
      run("pip install --no-cache-dir -r /tmp/requirements.txt"),
      user("appuser"),
    ]);
    expect(only("deps-after-source", spec)).toEqual([
      {
        rule: "deps-after-source",
        severity: "warning",
        message:
          '.add("src/", "/app/src/") adds source code before .add("requirements.txt", "/tmp/requirements.txt") (step 1) and the install .runCommand("pip install --no-cache-dir -r /tmp/requirements.txt") (step 2): any change to the source invalidates the cache of every later step, so each edit re-runs the install.',
        fix: 'add the manifest and install first, then the source: .add("requirements.txt", "/tmp/requirements.txt").runCommand("pip install --no-cache-dir -r /tmp/requirements.txt").add("src/", "/app/src/")',
        stage: "main",
        step: 0,
      },
    ]);
  });

  it("knows the usual manifests, installers and whole-source copies", () => {
    const cases: [Step, Step, Step][] = [
      [copy(".", "/app"), copy(["package.json", "pnpm-lock.yaml"], "/app/"), run("pnpm install --frozen-lockfile")],
      [copy("./", "/app"), copy("package-lock.json", "/app/"), run("npm ci")],
      [copy("app", "/srv/app"), copy("pyproject.toml", "/srv/"), run("poetry install --no-root")],
      [copy("lib/", "/w/lib/"), copy("uv.lock", "/w/"), run("uv sync --frozen")],
      [copy("*", "/w/"), copy("go.mod", "/w/"), run("go mod download")],
      [copy("src", "/w/src"), copy("Cargo.lock", "/w/"), run("cargo fetch")],
      [copy("code/", "/w/"), copy("environment.yml", "/w/"), run("conda env create -f /w/environment.yml")],
      [copy("src/", "/w/"), copy("requirements-dev.txt", "/w/"), run("python3 -m pip install --no-cache-dir -r /w/requirements-dev.txt")],
      [copy("src/", "/w/"), copy("Pipfile.lock", "/w/"), run("pipenv install --deploy")],
    ];
    for (const [source, manifest, install] of cases) {
      expect(summary(image([source, manifest, install, user("appuser")])).filter((entry) => entry.startsWith("deps"))).toEqual([
        "deps-after-source@0",
      ]);
    }
  });

  it("does not fire on the good order, without an install, or across stages", () => {
    // The seed's recommended order.
    expect(only("deps-after-source", image([add("requirements.txt", "/tmp/requirements.txt"), run("pip install -r /tmp/requirements.txt"), add("src/", "/app/src/")]))).toEqual([]);
    // The seed's "add multiple files": no install follows.
    expect(only("deps-after-source", image([add("requirements.txt", "/app/requirements.txt"), add("setup.py", "/app/setup.py"), add("src/", "/app/src/")]))).toEqual([]);
    expect(only("deps-after-source", image([add("src/", "/app/src/"), add("requirements.txt", "/app/requirements.txt")]))).toEqual([]);
    // A single file before the manifest is fine.
    expect(only("deps-after-source", image([add("config.yaml", "/app/"), add("requirements.txt", "/app/"), run("pip install -r /app/requirements.txt")]))).toEqual([]);
    // The install comes before the manifest.
    expect(only("deps-after-source", image([add("src/", "/app/src/"), run("pip install torch"), add("requirements.txt", "/app/")]))).toEqual([]);
    const spec = stages(
      { id: "assets", base: { image: "node:20" }, steps: [copy(".", "/w")] },
      { id: "main", base: { image: "python:3.11-slim" }, steps: [copy("requirements.txt", "/app/"), run("pip install --no-cache-dir -r /app/requirements.txt")] },
    );
    expect(only("deps-after-source", spec)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("pip-cache", () => {
  it("fires for pip install without --no-cache-dir, with the command fixed", () => {
    expect(only("pip-cache", image([run("pip3 install torch && python -m pip install numpy")]))).toEqual([
      {
        rule: "pip-cache",
        severity: "warning",
        message:
          '"pip3 install torch" leaves pip\'s download cache (often hundreds of MB for ML wheels) in the layer; nothing ever reads it again.',
        fix: '.runCommand("pip3 install --no-cache-dir torch && python -m pip install --no-cache-dir numpy"); or keep the cache out of the layer, between builds, with a cache mount: .runCommand(..., { mounts: [{ type: "cache", target: "/root/.cache/pip" }] }); or set .withEnv("PIP_NO_CACHE_DIR", "1") before the installs',
        stage: "main",
        step: 0,
      },
    ]);
    for (const command of ["pip install x", "pip3.11 install -r r.txt", "python3 -m pip install -U pip", "/opt/venv/bin/pip install x", "pip --quiet install x"]) {
      expect(rulesOf(run(command))).toEqual(["pip-cache"]);
    }
  });

  it("does not fire when the cache stays out of the layer", () => {
    for (const step of [
      run("pip install --no-cache-dir torch"),
      run("python3 -m pip install --no-cache-dir torch"),
      run("pip --no-cache-dir install torch"),
      run("PIP_NO_CACHE_DIR=1 pip install torch"),
      run("export PIP_NO_CACHE_DIR=1 && pip install torch"),
      run("pip install large-package &&", "rm -rf ~/.cache/pip"),
      run("pip install large-package && rm -rf /root/.cache"),
      run("pip install large-package && pip cache purge"),
      runWith([{ type: "cache", target: "/root/.cache/pip" }], "pip install torch"),
      runWith([{ type: "cache", target: "/home/app/.cache", id: "pip" }], "pip install torch"),
      run("uv pip install torch"),
      run("pip download torch -d /wheels && pip freeze && pip list"),
    ]) {
      expect(rulesOf(step)).toEqual([]);
    }
    expect(only("pip-cache", image([env("PIP_NO_CACHE_DIR", "1"), run("pip install torch")]))).toEqual([]);
    expect(only("pip-cache", image([env("PIP_CACHE_DIR", "/var/cache/pip"), runWith([{ type: "cache", target: "/var/cache/pip" }], "pip install torch")]))).toEqual([]);
    // Inherited through a stage base.
    const spec = stages(
      { id: "base", base: { image: "python:3.11-slim" }, steps: [env("PIP_NO_CACHE_DIR", "off")] },
      { id: "main", base: { stage: "base" }, steps: [run("pip install torch"), user("appuser")] },
    );
    expect(lint(spec)).toEqual([]);
  });

  it("fires when the setting comes too late, or the cleanup is in another layer", () => {
    expect(summary(image([run("pip install torch"), env("PIP_NO_CACHE_DIR", "1"), user("appuser")]))).toEqual(["pip-cache@0"]);
    expect(summary(image([run("pip install torch"), run("rm -rf ~/.cache/pip"), user("appuser")]))).toEqual(["pip-cache@0"]);
    expect(rulesOf(runWith([{ type: "cache", target: "/root/.npm" }], "pip install torch"))).toEqual(["pip-cache"]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("secret-in-config", () => {
  it("fires for secret-named env keys with literal values, without echoing the value", () => {
    const findings = lint(image([env("DB_PASSWORD", "hunter2-but-longer"), user("appuser")]));
    expect(findings).toEqual([
      {
        rule: "secret-in-config",
        severity: "error",
        message:
          '.withEnv("DB_PASSWORD", "hunt…"): its name says it holds a secret, and it is stored in the image config: every container and anyone who pulls the image can read it (docker inspect). Deleting it in a later step does not remove it.',
        fix: 'remove it and revoke the secret; give it to the build steps that need it as a secret mount, .runCommand("<command>", { mounts: [{ type: "secret", id: "db_password", env: "DB_PASSWORD" }] }) (BuildKit 0.13+; before, .runCommand("DB_PASSWORD=$(cat /run/secrets/db_password) <command>", { mounts: [{ type: "secret", id: "db_password" }] })), and to the container at run time (docker run -e DB_PASSWORD, or the platform\'s secrets)',
        stage: "main",
        step: 0,
      },
    ]);
    expect(JSON.stringify(findings)).not.toContain("hunter2");
    for (const key of ["HF_TOKEN", "GITHUB_TOKEN", "OPENAI_API_KEY", "MY_APIKEY", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY", "SSH_PRIVATE_KEY", "DB_PASSWD", "GOOGLE_CREDENTIALS", "REGISTRY_AUTH", "secret", "Api_Key"]) {
      expect(rulesOf(env(key, "s3cr3t-value"))).toEqual(["secret-in-config"]);
    }
  });

  it("matches whole words only, and skips references, switches and file locations", () => {
    for (const [key, value] of [
      ["TOKENIZERS_PARALLELISM", "false"],
      ["MAX_TOKENS", "4096"],
      ["OAUTHLIB_INSECURE_TRANSPORT", "1"],
      ["AUTHOR", "team@company.com"],
      ["HF_TOKEN_PATH", "/run/secrets/hf"],
      ["DB_PASSWORD_FILE", "/run/secrets/db"],
      ["AWS_ACCESS_KEY_ID", "from-the-runtime"],
      ["AUTH_URL", "https://auth.example.com"],
      ["PASSWORD_MIN_LENGTH", "12"],
      ["HF_TOKEN", "$HF_TOKEN"],
      ["HF_TOKEN", "${HF_TOKEN}"],
      ["HF_TOKEN", ""],
      ["HF_HUB_DISABLE_IMPLICIT_TOKEN", "1"],
      ["TRANSFORMERS_CACHE", "/opt/models"],
    ] as const) {
      expect(rulesOf(env(key, value))).toEqual([]);
    }
  });

  it("fires for well-known secret formats in env, label and build-arg values", () => {
    expect(rulesOf(env("SOME_SETTING", FAKE.aws))).toEqual(["secret-in-config"]);
    expect(rulesOf(env("CONFIG", `https://user:${FAKE.github}@github.com/org/repo`))).toEqual(["secret-in-config"]);
    expect(rulesOf(label("io.example.key", FAKE.pem))).toEqual(["secret-in-config"]);
    expect(rulesOf(label("note", FAKE.slack))).toEqual(["secret-in-config"]);
    expect(rulesOf(arg("MODEL_REVISION", FAKE.hf))).toEqual(["secret-in-config"]);
    expect(only("secret-in-config", image([arg("OPENAI", FAKE.openai)]))).toEqual([
      {
        rule: "secret-in-config",
        severity: "error",
        message:
          '.withArg("OPENAI", "sk-T…"): its value looks like an API key (sk-...), and it is stored in the image history of every step that uses it (docker history). Deleting it in a later step does not remove it.',
        fix: 'remove it and revoke the secret; give it to the build steps that need it as a secret mount, .runCommand("<command>", { mounts: [{ type: "secret", id: "openai", env: "OPENAI" }] }) (BuildKit 0.13+; before, .runCommand("OPENAI=$(cat /run/secrets/openai) <command>", { mounts: [{ type: "secret", id: "openai" }] })), and to the container at run time (docker run -e OPENAI, or the platform\'s secrets)',
        stage: "main",
        step: 0,
      },
    ]);
    // By name for args too, but not for labels, and not for an arg without a default.
    expect(rulesOf(arg("HF_TOKEN", "abc123def"))).toEqual(["secret-in-config"]);
    expect(rulesOf(arg("HF_TOKEN"))).toEqual([]);
    expect(rulesOf(label("auth", "basic"))).toEqual([]);
    // Look-alikes that are not random: package names, ordinary words.
    expect(rulesOf(env("PKG", "sk-video-processing-toolkit"))).toEqual([]);
    expect(rulesOf(env("HF_HUB_ENABLE_HF_TRANSFER", "1"))).toEqual([]);
    expect(rulesOf(label("description", "AI text processing service"))).toEqual([]);
  });
});

describe("secret-in-run", () => {
  it("fires for a secret format in a command", () => {
    expect(only("secret-in-run", image([run(`git clone https://${FAKE.github}@github.com/org/repo.git /src`)]))).toEqual([
      {
        rule: "secret-in-run",
        severity: "error",
        message:
          "The command contains what looks like a GitHub token: the command line of every step is kept in the image history (docker history), for anyone who pulls the image.",
        fix: 'revoke it, and read it from a secret mount instead: .runCommand("<command using $TOKEN>", { mounts: [{ type: "secret", id: "token", env: "TOKEN" }] }) (BuildKit 0.13+; before, .runCommand("TOKEN=$(cat /run/secrets/token) <command>", { mounts: [{ type: "secret", id: "token" }] })), passing the value at build time',
        stage: "main",
        step: 0,
      },
    ]);
    expect(rulesOf(script(`export HF_TOKEN=${FAKE.hf}\nhuggingface-cli download org/model\n`))).toEqual(["secret-in-run"]);
    expect(rulesOf(exec("curl", "-H", `Authorization: Bearer ${FAKE.openai}`, "https://api.example.com")).filter((rule) => rule.startsWith("secret"))).toEqual([
      "secret-in-run",
    ]);
  });

  it("does not fire for ordinary commands or secret mounts", () => {
    expect(rulesOf(run("pip install --no-cache-dir scikit-learn sk-video"))).toEqual([]);
    expect(
      rulesOf(runWith([{ type: "secret", id: "hf_token" }], "HF_TOKEN=$(cat /run/secrets/hf_token) huggingface-cli download org/model")),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("folded-continuation", () => {
  it("fires for a line that starts a new command after a line without an operator", () => {
    expect(only("folded-continuation", image([run("apt-get update", "apt-get install -y curl")]))).toEqual([
      {
        rule: "folded-continuation",
        severity: "warning",
        message:
          'Line 2 "apt-get install -y curl" starts a new command (apt-get), but line 1 "apt-get update" does not end with an operator: runCommand folds the lines into one command, "apt-get update apt-get install -y curl", so the second becomes arguments of the first.',
        fix: 'end line 1 with "&&": .runCommand("apt-get update &&\\napt-get install -y curl"); or, for a real multi-line script, .runScript("apt-get update\\napt-get install -y curl")',
        stage: "main",
        step: 0,
      },
    ]);
  });

  it("catches the usual mistakes", () => {
    const mistakes: [string[], number][] = [
      [["pip install torch", "pip install numpy"], 1],
      [["pip3 install torch", "python3 -m pip install numpy"], 1],
      [["git clone https://github.com/org/repo.git", "cd repo", "make -j4"], 2],
      [["mkdir -p /app", "chown -R appuser:appuser /app"], 1],
      [["mkdir -p /app", "chown appuser:appuser /app"], 1],
      [["wget https://example.com/a.tgz", "tar -xzf a.tgz", "rm a.tgz"], 2],
      [["wget https://example.com/a.tgz", "tar xzf a.tgz"], 1],
      [["curl -fsSL https://example.com/install.sh -o /tmp/i.sh", "sh /tmp/i.sh"], 1],
      [["apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y curl"], 1],
      [["cd /src", "python setup.py install"], 1],
      [["useradd -m appuser", "mkdir /data"], 1],
      [["echo start", "export PATH=/opt/bin:$PATH"], 1],
      [["conda create -n py311 python=3.11 -y", "conda clean -afy"], 1],
      [["npm ci", "npm run build"], 1],
      [["chmod +x /entrypoint.sh", "chmod 755 /app"], 1],
      [["apt-get update && apt-get install -y \\", "curl", "rm -rf /var/lib/apt/lists/*"], 1],
    ];
    for (const [lines, count] of mistakes) {
      expect(only("folded-continuation", image([run(...lines)])), lines.join(" / ")).toHaveLength(count);
    }
  });

  it("does not fire after an operator, for package lists, single words or quoted text", () => {
    const fine: string[][] = [
      ["apt-get update &&", "apt-get install -y curl"],
      ["apt-get update ||", "true"],
      ["cd /app;", "make -j4"],
      ["cat list.txt |", "xargs echo"],
      ["apt-get update", "&& apt-get install -y curl"],
      ["apt-get update", "|| true"],
      ["if [ -f x ]; then", "rm -rf x", "fi"],
      ["for f in a b; do", "echo $f", "done"],
      ["{", "echo a", "}"],
      ["apt-get install -y", "git", "curl", "make", "python3", "wget"],
      ["apt-get install -y", "git curl wget", "python3 python3-pip python3-dev", "make cmake", "bash tar"],
      ["pip install", "torch", "pip-tools", "python-dotenv"],
      ['python -c "import sys;', 'echo = 1"'],
      ["echo 'a", "cd b'"],
    ];
    for (const lines of fine) {
      expect(only("folded-continuation", image([run(...lines)])), lines.join(" / ")).toEqual([]);
    }
    // Scripts and argv are not folded.
    expect(only("folded-continuation", image([script("apt-get update\napt-get install -y curl\n")]))).toEqual([]);
  });

  it("stays quiet on every multi-line runCommand of the seed", () => {
    const seed = [
      `
        apt update &&
        apt install -y git curl &&
        pip install --upgrade pip &&
        pip install numpy pandas scikit-learn
    `,
      `
    apt update && apt install -y
    build-essential
    git
    curl
    wget
    ffmpeg
    libsm6
    libxext6
    libfontconfig1
    libxrender1
`,
      `
    pip install
    torch
    transformers
    accelerate
    datasets
    tokenizers
    numpy
    pandas
    scikit-learn
    pillow
    opencv-python
`,
      `
    apt autoremove -y &&
    apt clean &&
    rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
`,
      `
            apt update && apt install -y
            python3 python3-pip python3-dev
            build-essential git curl wget
            libsm6 libxext6 libfontconfig1 libxrender1
        `,
      `
            pip3 install torch torchvision torchaudio
            --index-url https://download.pytorch.org/whl/cu118
        `,
      `
            pip3 install
            transformers[torch]
            accelerate
            datasets
            tokenizers
            optimum
        `,
      `
            apt autoremove -y &&
            apt clean &&
            rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/* ~/.cache/pip
        `,
      `
            apt update && apt install -y --no-install-recommends
            build-essential git curl
            && rm -rf /var/lib/apt/lists/*
        `,
      `
            apk add --no-cache
            gcc musl-dev linux-headers
            && pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu
            && apk del gcc musl-dev linux-headers
        `,
      `
       apt update &&
       apt install -y python3 &&
       rm -rf /var/lib/apt/lists/*
   `,
      `
       pip install large-package &&
       rm -rf ~/.cache/pip  # Clean up in same layer
   `,
    ];
    for (const text of seed) {
      const step = fold(text);
      expect(step.command.form === "shell" ? step.command.lines.length : 0).toBeGreaterThan(1);
      expect(only("folded-continuation", image([step])), text).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("prefer-copy", () => {
  it("fires for add of plain local files", () => {
    expect(only("prefer-copy", image([add(["main.py", "utils/"], "/app/")]))).toEqual([
      {
        rule: "prefer-copy",
        severity: "info",
        message:
          '.add(["main.py","utils/"], "/app/") copies local files: add also extracts tar archives and fetches URLs, so a reader must check which it does here; copy only copies.',
        fix: '.copy(["main.py","utils/"], "/app/") (same options)',
        stage: "main",
        step: 0,
      },
    ]);
  });

  it("does not fire for archives, URLs, git sources, checksums or copy", () => {
    for (const step of [
      add("rootfs.tar.gz", "/"),
      add("model.tgz", "/opt/"),
      add("https://example.com/file.bin", "/opt/"),
      add("git@github.com:org/repo.git", "/src"),
      add("https://github.com/org/repo.git#v1.0", "/src"),
      { ...add("https://example.com/f", "/opt/f"), checksum: `sha256:${"0".repeat(64)}` },
      copy("main.py", "/app/"),
    ]) {
      expect(only("prefer-copy", image([step]))).toEqual([]);
    }
  });
});

describe("relative-workdir", () => {
  it("fires with the absolute path it resolves to", () => {
    expect(only("relative-workdir", image([workdir("/srv"), workdir("app/../data")]))).toEqual([
      {
        rule: "relative-workdir",
        severity: "info",
        message: '.setWorkdir("app/../data") is relative: it resolves against the previous working directory (/srv), which a later change above it silently moves.',
        fix: 'use the absolute path: .setWorkdir("/srv/data")',
        stage: "main",
        step: 1,
      },
    ]);
    expect(only("relative-workdir", image([workdir("app")]))[0]?.fix).toBe('use the absolute path: .setWorkdir("/app")');
  });

  it("does not fire for absolute paths or variables", () => {
    expect(only("relative-workdir", image([workdir("/app"), workdir("$HOME/work"), workdir("${APP_DIR}")]))).toEqual([]);
  });
});

describe("expose-ssh", () => {
  it("fires for port 22 only", () => {
    expect(only("expose-ssh", image([expose(8000), expose(22)]))).toEqual([
      {
        rule: "expose-ssh",
        severity: "warning",
        message:
          ".exposePort(22) exposes SSH: an sshd in the container is one more service with credentials to manage and patch, and it is not how containers are reached.",
        fix: 'remove .exposePort(22) and the SSH server; open a shell with "docker exec -it <container> sh" (or kubectl exec) when needed',
        stage: "main",
        step: 1,
      },
    ]);
    expect(only("expose-ssh", image([expose(8000), expose(2222)]))).toEqual([]);
  });
});

describe("sudo-after-user", () => {
  it("fires for sudo after a non-root user", () => {
    expect(only("sudo-after-user", image([user("appuser"), run("sudo -E make install")]))).toEqual([
      {
        rule: "sudo-after-user",
        severity: "info",
        message: '"sudo -E make install" runs as "appuser" through sudo: an image where the runtime user can sudo to root is not really non-root.',
        fix: 'move the command before .setUser("appuser"), where it runs as root, and drop sudo (and the sudo package)',
        stage: "main",
        step: 1,
      },
    ]);
  });

  it("does not fire before setUser, as root, or without sudo", () => {
    expect(only("sudo-after-user", image([run("sudo make install"), user("appuser")]))).toEqual([]);
    expect(only("sudo-after-user", image([user("root"), run("sudo make install")]))).toEqual([]);
    expect(only("sudo-after-user", image([user("appuser"), run("make install && echo sudo")]))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The seed's examples, transliterated to IR by hand: what lint finds in each, exactly.

describe("the seed's examples", () => {
  it("optimized build order: only the apt CLI and add-vs-copy notes", () => {
    const spec = image([
      fold(`
            apt update && apt install -y --no-install-recommends
            build-essential git curl
            && rm -rf /var/lib/apt/lists/*
        `),
      add("requirements.txt", "/tmp/requirements.txt"),
      run("pip install --no-cache-dir -r /tmp/requirements.txt"),
      add("src/", "/app/src/"),
      workdir("/app"),
      env("PYTHONPATH", "/app"),
      user("1000:1000"),
      expose(8000),
      cmd("python", "-m", "src.main"),
    ], { tag: "1.0.0" });
    expect(summary(spec)).toEqual(["prefer-apt-get@0", "prefer-copy@1", "prefer-copy@3"]);
  });

  it("minimal image (alpine)", () => {
    const spec = image(
      [
        fold(`
            apk add --no-cache
            gcc musl-dev linux-headers
            && pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu
            && apk del gcc musl-dev linux-headers
        `),
        add("src/main.py", "/app/main.py"),
        add("requirements-minimal.txt", "/tmp/requirements.txt"),
        run("pip install --no-cache-dir -r /tmp/requirements.txt"),
        run("rm -rf /tmp/* /var/cache/apk/*"),
        workdir("/app"),
        user("65534:65534"),
        cmd("python", "main.py"),
      ],
      { base: { image: "python:3.11-alpine" } },
    );
    expect(summary(spec)).toEqual(["prefer-copy@1", "prefer-copy@2"]);
  });

  it("optimized PyTorch image: apt hygiene and pip caches", () => {
    const spec = image(
      [
        fold(`
            apt update && apt install -y
            python3 python3-pip python3-dev
            build-essential git curl wget
            libsm6 libxext6 libfontconfig1 libxrender1
        `),
        run("pip3 install --upgrade pip setuptools wheel"),
        fold(`
            pip3 install torch torchvision torchaudio
            --index-url https://download.pytorch.org/whl/cu118
        `),
        fold(`
            pip3 install
            transformers[torch]
            accelerate
            datasets
            tokenizers
            optimum
        `),
        run("pip3 install flash-attn --no-build-isolation"),
        run("pip3 install xformers"),
        env("PYTHONOPTIMIZE", "2"),
        env("TORCH_BACKENDS_CUDNN_BENCHMARK", "1"),
        env("TRANSFORMERS_CACHE", "/opt/models"),
        env("HF_HOME", "/opt/huggingface"),
        run("mkdir -p /opt/models /opt/huggingface /app"),
        run("chown -R 1000:1000 /opt/models /opt/huggingface /app"),
        user("1000:1000"),
        workdir("/app"),
        fold(`
            apt autoremove -y &&
            apt clean &&
            rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/* ~/.cache/pip
        `),
      ],
      { base: { image: "nvidia/cuda:11.8-devel-ubuntu22.04" } },
    );
    expect(summary(spec)).toEqual([
      "apt-install-recommends@0",
      "apt-missing-cleanup@0",
      "prefer-apt-get@0",
      "pip-cache@1",
      "pip-cache@2",
      "pip-cache@3",
      "pip-cache@4",
      "pip-cache@5",
      "prefer-apt-get@14",
    ]);
  });

  it("layered configuration (nlp): no user, apt hygiene, pip caches", () => {
    const spec = image(
      [
        run("apt update && apt install -y python3 python3-pip"),
        run("pip3 install --upgrade pip"),
        env("PYTHONUNBUFFERED", "1"),
        env("PYTHONDONTWRITEBYTECODE", "1"),
        run("pip3 install numpy pandas scikit-learn"),
        run("pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu118"),
        env("TORCH_HOME", "/opt/torch"),
        run("pip3 install transformers tokenizers datasets"),
        run("pip3 install spacy nltk"),
        env("TRANSFORMERS_CACHE", "/opt/models"),
      ],
      { base: { image: "nvidia/cuda:11.8-runtime-ubuntu22.04" } },
    );
    expect(summary(spec)).toEqual([
      "non-root-user",
      "apt-install-recommends@0",
      "apt-missing-cleanup@0",
      "prefer-apt-get@0",
      "pip-cache@1",
      "pip-cache@4",
      "pip-cache@5",
      "pip-cache@7",
      "pip-cache@8",
    ]);
  });

  it("multi-stage builder stage: latest tag, root, apt, pip", () => {
    const spec = image(
      [
        run("apt update && apt install -y build-essential git"),
        add("requirements.txt", "/tmp/requirements.txt"),
        run("pip install -r /tmp/requirements.txt --target /opt/python-packages"),
        add("src/", "/tmp/src/"),
        run("cd /tmp/src && python setup.py build_ext --inplace"),
      ],
      { tag: "latest", base: { image: "python:3.11" } },
    );
    expect(summary(spec)).toEqual([
      "latest-tag",
      "non-root-user",
      "apt-install-recommends@0",
      "apt-missing-cleanup@0",
      "prefer-apt-get@0",
      "prefer-copy@1",
      "pip-cache@2",
      "prefer-copy@3",
    ]);
  });

  it("switch between users, with the default tag", () => {
    const spec = image(
      [run("apt update && apt install -y python3"), run("useradd -m appuser"), user("appuser"), run("whoami")],
      { tag: "latest", base: { image: "ubuntu:22.04" } },
    );
    expect(summary(spec)).toEqual(["latest-tag", "apt-install-recommends@0", "apt-missing-cleanup@0", "prefer-apt-get@0"]);
  });

  it("combine RUN commands: the good version and the one to avoid", () => {
    const good = image([fold(`
       apt update &&
       apt install -y python3 &&
       rm -rf /var/lib/apt/lists/*
   `), user("appuser")]);
    expect(summary(good)).toEqual(["apt-install-recommends@0", "prefer-apt-get@0"]);
    const avoid = image([run("apt update"), run("apt install -y python3"), run("rm -rf /var/lib/apt/lists/*"), user("appuser")]);
    expect(summary(avoid)).toEqual([
      "apt-update-alone@0",
      "prefer-apt-get@0",
      "apt-install-recommends@1",
      "apt-missing-cleanup@1",
      "apt-missing-update@1",
      "prefer-apt-get@1",
    ]);
  });

  it("security practices: keep images updated, minimize attack surface, non-root user", () => {
    expect(summary(image([run("apt update && apt upgrade -y"), user("appuser")]))).toEqual([
      "apt-missing-cleanup@0",
      "apt-upgrade@0",
      "prefer-apt-get@0",
    ]);
    expect(summary(image([run("apt remove --purge -y wget curl"), user("appuser")]))).toEqual(["prefer-apt-get@0"]);
    expect(summary(image([run("useradd -m -u 1000 appuser"), user("appuser")]))).toEqual([]);
  });

  it("set_workdir with relative adds, and the seed's environment examples", () => {
    const spec = image([
      workdir("/tmp"),
      add("requirements.txt", "requirements.txt"),
      run("pip install -r requirements.txt"),
      workdir("/app"),
      add("src/", "."),
      env("CUDA_VISIBLE_DEVICES", "0"),
      env("NVIDIA_DRIVER_CAPABILITIES", "compute,utility"),
      env("HF_HOME", "/opt/huggingface"),
      env("MALLOC_ARENA_MAX", "4"),
      user("appuser"),
    ]);
    expect(summary(spec)).toEqual(["prefer-copy@1", "pip-cache@2", "prefer-copy@4"]);
  });
});

describe("lint: extra rules", () => {
  const spec: ImageSpec = {
    irVersion: 1,
    ref: { username: "u", name: "app", tag: "1.0.0" },
    stages: [{ id: "app", base: { image: "debian:bookworm" }, steps: [{ kind: "user", user: "1000" }] }],
  };
  const extra: LintRule = {
    id: "always-info",
    severity: "info",
    description: "fires once per image",
    check: () => [{ rule: "always-info", severity: "info", message: "hello", fix: "none" }],
  };

  it("runs extra rules after the built-in ones, and lets options address them", () => {
    expect(lint(spec, { extraRules: [extra] })).toEqual([{ rule: "always-info", severity: "info", message: "hello", fix: "none" }]);
    expect(lint(spec, { extraRules: [extra], rules: { "always-info": "off" } })).toEqual([]);
    expect(lint(spec, { extraRules: [extra], rules: { "always-info": "error" } })[0]?.severity).toBe("error");
  });

  it("refuses an extra rule whose id is taken", () => {
    expect(() => lint(spec, { extraRules: [{ ...extra, id: "latest-tag" }] })).toThrow('two lint rules have the id "latest-tag"');
  });
});
