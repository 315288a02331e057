import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChutesError, ValidationError } from "./errors.ts";
import { Image } from "./image.ts";
import type { ImageSpec, Mount, RunCommand, RunStep, Stage, Step } from "./ir.ts";
import { fixLint } from "./lint-fix.ts";
import type { FixLintResult } from "./lint-fix.ts";
import { lint, lintRules } from "./lint.ts";
import type { LintOptions, LintRule } from "./lint.ts";
import { parseSpec } from "./schema.ts";
import { validateSpec } from "./validate.ts";

const THIS_FILE = new URL(import.meta.url).pathname;

// ---------------------------------------------------------------------------------------------------------
// IR helpers

const run = (...lines: string[]): RunStep => ({ kind: "run", command: { form: "shell", lines } });
const runWith = (mounts: readonly Mount[], ...lines: string[]): RunStep => ({ kind: "run", command: { form: "shell", lines }, mounts });
const exec = (...argv: string[]): RunStep => ({ kind: "run", command: { form: "exec", argv } });
const script = (text: string): RunStep => ({ kind: "run", command: { form: "script", script: text } });
const workdir = (path: string): Step => ({ kind: "workdir", path });
const env = (key: string, value: string): Step => ({ kind: "env", key, value });
const user = (name: string): Step => ({ kind: "user", user: name });

/** One stage on a pinned base, a version tag, and a non-root user last (so non-root-user stays quiet). */
function image(steps: readonly Step[]): ImageSpec {
  return {
    irVersion: 1,
    ref: { username: "myuser", name: "myapp", tag: "1.0.0" },
    stages: [{ id: "main", base: { image: "debian:bookworm-slim" }, steps: [...steps, user("1000")] }],
  };
}

function stages(...list: Stage[]): ImageSpec {
  return { irVersion: 1, ref: { username: "myuser", name: "myapp", tag: "1.0.0" }, stages: list };
}

/** The first step's command after fixing. */
function fixedCommand(step: Step, options?: LintOptions): RunCommand | undefined {
  const fixed = fixLint(image([step]), options).spec.stages[0]?.steps[0];
  return fixed?.kind === "run" ? fixed.command : undefined;
}

const shell = (...lines: string[]): RunCommand => ({ form: "shell", lines });
/** `rule@step: change` for every applied fix. */
const appliedOf = (result: FixLintResult): string[] => result.applied.map((fix) => `${fix.rule}@${fix.step}: ${fix.change}`);
const rulesLeft = (result: FixLintResult): string[] =>
  result.remaining.map((finding) => `${finding.rule}${finding.step === undefined ? "" : `@${finding.step}`}`);

/** What `aptInstall(["curl"])` generates: nothing to fix. */
const CLEAN_APT = ["apt-get update &&", "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl &&", "rm -rf /var/lib/apt/lists/*"];
/** Silences every fixable rule but one. */
const onlyRule = (id: string): LintOptions => ({
  rules: Object.fromEntries(lintRules.filter((rule) => rule.rewrite !== undefined && rule.id !== id).map((rule) => [rule.id, "off" as const])),
});

// ---------------------------------------------------------------------------------------------------------

describe("fixLint: which rules have a rewrite", () => {
  it("is exactly the rules whose fix is certainly what the user meant", () => {
    expect(lintRules.filter((rule) => rule.rewrite !== undefined).map((rule) => rule.id)).toEqual([
      "apt-missing-update",
      "apt-missing-cleanup",
      "apt-missing-yes",
      "prefer-apt-get",
      "pip-cache",
      "relative-workdir",
    ]);
  });
});

describe("fixLint: apt-missing-yes", () => {
  it("adds -y right after the subcommand", () => {
    const result = fixLint(image([run("apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*")]));
    expect(result.spec.stages[0]?.steps[0]).toEqual(
      run("apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"),
    );
    expect(appliedOf(result)).toEqual(['apt-missing-yes@0: added -y to "apt-get install --no-install-recommends curl"']);
    expect(result.remaining).toEqual([]);
  });

  it("finds the subcommand after options, assignments, sudo and a path, and keeps quoting", () => {
    const options = onlyRule("apt-missing-yes");
    expect(fixedCommand(run(`DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -o Dpkg::Use-Pty=0 install "curl" 'git'`), options)).toEqual(
      shell(`DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -o Dpkg::Use-Pty=0 install -y "curl" 'git'`),
    );
    expect(fixedCommand(run("sudo apt-get remove curl", "&& sudo apt-get autoremove"), options)).toEqual(
      shell("sudo apt-get remove -y curl", "&& sudo apt-get autoremove -y"),
    );
    expect(fixedCommand(run("apt-get purge -q curl; echo 'apt-get install x'"), options)).toEqual(
      shell("apt-get purge -y -q curl; echo 'apt-get install x'"),
    );
  });

  it("rewrites argv as an array, and the script of sh -c and runScript in place", () => {
    const options = onlyRule("apt-missing-yes");
    expect(fixedCommand(exec("apt-get", "install", "curl"), options)).toEqual({ form: "exec", argv: ["apt-get", "install", "-y", "curl"] });
    expect(fixedCommand(exec("/bin/sh", "-c", "apt-get update && apt-get install curl", "name"), options)).toEqual({
      form: "exec",
      argv: ["/bin/sh", "-c", "apt-get update && apt-get install -y curl", "name"],
    });
    expect(fixedCommand(script("set -e\napt-get update\napt-get install \\\n  curl\n"), options)).toEqual({
      form: "script",
      script: "set -e\napt-get update\napt-get install -y \\\n  curl\n",
    });
  });

  it("leaves a here-document alone: its body is not commands", () => {
    const step = script("cat > /etc/notes <<EOF\napt-get install curl\nEOF\n");
    const result = fixLint(image([step]), onlyRule("apt-missing-yes"));
    expect(result.applied).toEqual([]);
    expect(rulesLeft(result)).toContain("apt-missing-yes@0");
  });
});

describe("fixLint: prefer-apt-get", () => {
  it("replaces the program word, and only for subcommands that apt-get runs the same way", () => {
    const result = fixLint(image([run("apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*")]));
    expect(result.spec.stages[0]?.steps[0]).toEqual(
      run("apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"),
    );
    expect(appliedOf(result)).toEqual([
      'prefer-apt-get@0: apt → apt-get in "apt update", "apt install -y --no-install-recommends curl"',
    ]);
  });

  it("keeps apt where apt-get differs (upgrade, list) and where the word is quoted", () => {
    const options = onlyRule("prefer-apt-get");
    expect(fixedCommand(run("/usr/bin/apt update && apt upgrade -y && apt list --installed"), options)).toEqual(
      shell("/usr/bin/apt-get update && apt upgrade -y && apt list --installed"),
    );
    const quoted = fixLint(image([run(`"apt" remove -y curl`)]), options);
    expect(quoted.applied).toEqual([]);
    expect(rulesLeft(quoted)).toEqual(["prefer-apt-get@0"]);
    expect(fixedCommand(exec("apt", "autoremove", "-y"), options)).toEqual({ form: "exec", argv: ["apt-get", "autoremove", "-y"] });
  });
});

describe("fixLint: apt-missing-update", () => {
  it("puts apt-get update on its own line before an install that starts a line", () => {
    const result = fixLint(image([run("apt-get install -y --no-install-recommends curl &&", "rm -rf /var/lib/apt/lists/*")]));
    expect(result.spec.stages[0]?.steps[0]).toEqual(run(...CLEAN_APT.map((line) => line.replace("DEBIAN_FRONTEND=noninteractive ", ""))));
    expect(appliedOf(result)).toEqual([
      'apt-missing-update@0: added "apt-get update &&" before "apt-get install -y --no-install-recommends curl"',
    ]);
  });

  it("inserts it inline just before the install command, after assignments' start, cd and keywords", () => {
    const options = onlyRule("apt-missing-update");
    expect(fixedCommand(run("cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y curl"), options)).toEqual(
      shell("cd /tmp && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl"),
    );
    expect(fixedCommand(run("if true; then apt-get install -y curl; fi"), options)).toEqual(
      shell("if true; then apt-get update && apt-get install -y curl; fi"),
    );
    expect(fixedCommand(exec("bash", "-c", "set -e; apt-get install -y curl"), options)).toEqual({
      form: "exec",
      argv: ["bash", "-c", "set -e; apt-get update && apt-get install -y curl"],
    });
  });

  it("does not insert where it would change what runs: after | or ||, with sudo, other sources, or argv", () => {
    const options = onlyRule("apt-missing-update");
    for (const step of [
      run("true || apt-get install -y curl"),
      run("yes | apt-get install curl"),
      run("sudo apt-get install -y curl"),
      run("apt-get -o Dir::Etc::SourceList=/etc/apt/extra.list install -y curl"),
      run("if ! apt-get install -y curl; then exit 1; fi"),
      exec("apt-get", "install", "-y", "curl"),
    ]) {
      const result = fixLint(image([step]), options);
      expect(result.applied).toEqual([]);
      expect(rulesLeft(result)).toContain("apt-missing-update@0");
    }
  });
});

describe("fixLint: apt-missing-cleanup", () => {
  it("ends the step with the cleanup, on its own line after a line that ends the command", () => {
    const result = fixLint(image([run("apt-get update &&", "apt-get install -y --no-install-recommends curl")]));
    expect(result.spec.stages[0]?.steps[0]).toEqual(
      run("apt-get update &&", "apt-get install -y --no-install-recommends curl &&", "rm -rf /var/lib/apt/lists/*"),
    );
    expect(appliedOf(result)).toEqual(['apt-missing-cleanup@0: appended "&& rm -rf /var/lib/apt/lists/*"']);
  });

  it("appends inline before a trailing ; or comment, and in scripts", () => {
    const options = onlyRule("apt-missing-cleanup");
    expect(fixedCommand(run("apt-get update && apt-get install -y curl; "), options)).toEqual(
      shell("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*; "),
    );
    expect(fixedCommand(script("apt-get update\napt-get install -y curl # tools\n"), options)).toEqual({
      form: "script",
      script: "apt-get update\napt-get install -y curl && rm -rf /var/lib/apt/lists/* # tools\n",
    });
  });

  it("does not append after a redirection, a pipe or &, with sudo, or to argv", () => {
    const options = onlyRule("apt-missing-cleanup");
    for (const step of [
      run("apt-get update && apt-get install -y curl > /tmp/apt.log"),
      run("apt-get update && apt-get install -y curl | tee /tmp/apt.log |"),
      run("apt-get update && apt-get install -y curl &"),
      run("sudo apt-get update && sudo apt-get install -y curl"),
      exec("apt-get", "install", "-y", "curl"),
    ]) {
      const result = fixLint(image([step]), options);
      expect(result.applied).toEqual([]);
      expect(rulesLeft(result)).toContain("apt-missing-cleanup@0");
    }
  });

  it("keeps the lists when a later step, here or in a stage built on this one, reads them without updating", () => {
    const options = onlyRule("apt-missing-cleanup");
    const first = run("apt-get update && apt-get install -y curl");
    const later = run("apt-get install -y git && rm -rf /var/lib/apt/lists/*");
    expect(fixLint(image([first, later]), options).applied.map((fix) => fix.step)).toEqual([]);
    const spec = stages(
      { id: "base", base: { image: "debian:bookworm-slim" }, steps: [first] },
      { id: "app", base: { stage: "base" }, steps: [later, user("1000")] },
    );
    expect(fixLint(spec, options).applied).toEqual([]);
    // An update of its own, or nothing that reads the lists (remove, clean), is fine.
    const updating = run("apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*");
    expect(fixLint(image([first, updating]), options).applied.map((fix) => fix.step)).toEqual([0]);
    expect(fixLint(image([first, run("apt-get remove -y curl && apt-get clean")]), options).applied.map((fix) => fix.step)).toEqual([0]);
  });

  it("fixes the later step first when it may, then the earlier one", () => {
    const result = fixLint(image([run("apt-get update && apt-get install -y curl"), run("apt-get install -y git")]), {
      rules: { "apt-install-recommends": "off" },
    });
    expect(result.spec.stages[0]?.steps.slice(0, 2)).toEqual([
      run("apt-get update && apt-get install -y curl &&", "rm -rf /var/lib/apt/lists/*"),
      run("apt-get update &&", "apt-get install -y git &&", "rm -rf /var/lib/apt/lists/*"),
    ]);
    expect(appliedOf(result)).toEqual([
      'apt-missing-cleanup@1: appended "&& rm -rf /var/lib/apt/lists/*"',
      'apt-missing-update@1: added "apt-get update &&" before "apt-get install -y git"',
      'apt-missing-cleanup@0: appended "&& rm -rf /var/lib/apt/lists/*"',
    ]);
    expect(result.remaining).toEqual([]);
  });

  it("is not needed with a cache mount on the lists", () => {
    const step = runWith([{ type: "cache", target: "/var/lib/apt" }], "apt-get update && apt-get install -y --no-install-recommends curl");
    expect(fixLint(image([step])).applied).toEqual([]);
  });
});

describe("fixLint: pip-cache", () => {
  it("adds --no-cache-dir after install, to every install that keeps its cache", () => {
    const result = fixLint(image([run("pip install torch && python3 -m pip install -r requirements.txt && PIP_NO_CACHE_DIR=1 pip install x")]));
    expect(result.spec.stages[0]?.steps[0]).toEqual(
      run("pip install --no-cache-dir torch && python3 -m pip install --no-cache-dir -r requirements.txt && PIP_NO_CACHE_DIR=1 pip install x"),
    );
    expect(appliedOf(result)).toEqual([
      'pip-cache@0: added --no-cache-dir to "pip install torch", "python3 -m pip install -r requirements.txt"',
    ]);
  });

  it("handles pip's general options before install, and argv", () => {
    expect(fixedCommand(run("pip3.11 --disable-pip-version-check install 'numpy<2'"))).toEqual(
      shell("pip3.11 --disable-pip-version-check install --no-cache-dir 'numpy<2'"),
    );
    expect(fixedCommand(exec("python", "-m", "pip", "install", "numpy"))).toEqual({
      form: "exec",
      argv: ["python", "-m", "pip", "install", "--no-cache-dir", "numpy"],
    });
  });

  it("leaves steps the rule does not flag alone", () => {
    const steps = [env("PIP_NO_CACHE_DIR", "1"), run("pip install torch")];
    expect(fixLint(image(steps)).applied).toEqual([]);
  });
});

describe("fixLint: relative-workdir", () => {
  it("resolves the path against the working directory the spec set", () => {
    const result = fixLint(image([workdir("/srv"), workdir("app"), workdir("../data")]));
    expect(result.spec.stages[0]?.steps.slice(0, 3)).toEqual([workdir("/srv"), workdir("/srv/app"), workdir("/srv/data")]);
    expect(appliedOf(result)).toEqual([
      'relative-workdir@1: "app" → "/srv/app" (resolved against "/srv")',
      'relative-workdir@2: "../data" → "/srv/data" (resolved against "/srv/app")',
    ]);
  });

  it("follows a stage built on another stage", () => {
    const spec = stages(
      { id: "base", base: { image: "debian:bookworm-slim" }, steps: [workdir("/opt")] },
      { id: "app", base: { stage: "base" }, steps: [workdir("tool"), user("1000")] },
    );
    expect(fixLint(spec).spec.stages[1]?.steps[0]).toEqual(workdir("/opt/tool"));
  });

  it("does not guess the base image's working directory, or a variable's value", () => {
    const result = fixLint(image([workdir("app"), workdir("/opt/$APP"), workdir("sub")]));
    expect(result.applied).toEqual([]);
    expect(rulesLeft(result)).toEqual(["relative-workdir@0", "relative-workdir@2"]);
  });
});

describe("fixLint: what it does not fix", () => {
  it("leaves every finding of a rule without a rewrite in remaining", () => {
    const spec: ImageSpec = {
      irVersion: 1,
      ref: { username: "myuser", name: "myapp", tag: "latest" },
      stages: [
        {
          id: "main",
          base: { image: "python" },
          steps: [
            run("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"),
            run("apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*"),
            { kind: "add", sources: ["app.py"], dest: "/app/" },
            { kind: "expose", port: 22, protocol: "tcp" },
          ],
        },
      ],
    };
    const result = fixLint(spec);
    expect(result.applied).toEqual([]);
    expect(result.spec).toEqual(spec);
    expect(rulesLeft(result)).toEqual([
      "latest-tag",
      "non-root-user",
      "unpinned-base-image",
      "apt-install-recommends@0",
      "apt-upgrade@1",
      "prefer-copy@2",
      "expose-ssh@3",
    ]);
  });

  it("does not rewrite a folded line that looks like a forgotten &&", () => {
    const result = fixLint(image([run("apt-get update", "apt-get install -y curl")]));
    expect(result.applied).toEqual([]);
    expect(rulesLeft(result)).toEqual(["apt-update-alone@0", "folded-continuation@0"]);
  });
});

describe("fixLint: the whole", () => {
  it("fixes everything fixable in a step, to a fixed point, and says where each step was made", () => {
    const line = Number(new Error().stack?.split("\n")[1]?.match(/:(\d+):\d+\)?$/)?.[1]);
    const built = new Image("myuser", "myapp", "1.0.0")
      .fromBase("debian:bookworm-slim")
      .runCommand("apt install curl")
      .runCommand("pip install requests")
      .setUser("1000");
    const result = fixLint(built);
    expect(result.spec.stages[0]?.steps.slice(0, 2)).toEqual([
      run("apt-get update &&", "apt-get install -y curl &&", "rm -rf /var/lib/apt/lists/*"),
      run("pip install --no-cache-dir requests"),
    ]);
    const at = (offset: number) => ({ file: THIS_FILE, line: line + offset, column: expect.any(Number) as number });
    expect(result.applied).toEqual([
      { rule: "apt-missing-cleanup", stage: "myapp", step: 0, change: 'appended "&& rm -rf /var/lib/apt/lists/*"', location: at(3) },
      { rule: "apt-missing-update", stage: "myapp", step: 0, change: 'added "apt-get update &&" before "apt install curl"', location: at(3) },
      { rule: "apt-missing-yes", stage: "myapp", step: 0, change: 'added -y to "apt install curl"', location: at(3) },
      { rule: "prefer-apt-get", stage: "myapp", step: 0, change: 'apt → apt-get in "apt install -y curl"', location: at(3) },
      { rule: "pip-cache", stage: "myapp", step: 1, change: 'added --no-cache-dir to "pip install requests"', location: at(4) },
    ]);
    expect(rulesLeft(result)).toEqual(["apt-install-recommends@0"]);
  });

  it("is idempotent, returns frozen valid IR and leaves its input alone", () => {
    const spec = image([run("apt-get install curl"), workdir("/app"), workdir("src"), run("pip install x")]);
    const before = JSON.stringify(spec);
    const first = fixLint(spec);
    expect(JSON.stringify(spec)).toBe(before);
    expect(Object.isFrozen(first.spec)).toBe(true);
    expect(Object.isFrozen(first.spec.stages[0]?.steps[0])).toBe(true);
    expect(parseSpec(first.spec).ok).toBe(true);
    expect(validateSpec(first.spec)).toEqual([]);
    const second = fixLint(first.spec);
    expect(second.applied).toEqual([]);
    expect(second.spec).toEqual(first.spec);
    expect(second.remaining).toEqual(first.remaining);
  });

  it("honours lint options: a rule set to off is not fixed, and severities carry into remaining", () => {
    const spec = image([run("apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*")]);
    const off = fixLint(spec, { rules: { "apt-missing-yes": "off" } });
    expect(off.applied).toEqual([]);
    expect(off.remaining).toEqual([]);
    const kept = fixLint(image([run("apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*")]), { rules: { "apt-upgrade": "error" } });
    expect(kept.remaining.map((finding) => [finding.rule, finding.severity])).toEqual([["apt-upgrade", "error"]]);
    expect(() => fixLint(spec, { rules: { "no-such-rule": "off" } })).toThrow(ChutesError);
  });

  it("applies an extra rule's rewrite, and drops a rewrite that would make the spec invalid", () => {
    const flagsRuns = (id: string, rewrite: LintRule["rewrite"]): LintRule => ({
      id,
      severity: "warning",
      description: "test rule that flags the first run step",
      check: (spec) =>
        (spec.stages[0]?.steps[0]?.kind === "run" && JSON.stringify(spec).includes("TODO")
          ? [{ rule: id, severity: "warning" as const, message: "m", fix: "f", stage: spec.stages[0].id, step: 0 }]
          : []),
      ...(rewrite === undefined ? {} : { rewrite }),
    });
    const spec = image([run("echo TODO")]);
    const good = flagsRuns("no-todo", () => ({ step: run("echo done"), change: "TODO → done" }));
    expect(fixLint(spec, { extraRules: [good] }).applied).toEqual([{ rule: "no-todo", stage: "main", step: 0, change: "TODO → done" }]);
    const bad = flagsRuns("breaks-it", () => ({ step: run(""), change: "empties the command" }));
    const result = fixLint(spec, { extraRules: [bad] });
    expect(result.applied).toEqual([]);
    expect(result.spec).toEqual(spec);
  });

  it("refuses an invalid definition, as render does", () => {
    const invalid = image([{ kind: "expose", port: 70000, protocol: "tcp" }]);
    expect(() => fixLint(invalid)).toThrow(ValidationError);
    expect(() => fixLint({ irVersion: 1 } as unknown as ImageSpec)).toThrow(ValidationError);
    expect(() => fixLint(new Image("myuser", "myapp", "1.0.0").aptInstall([]))).toThrow(ValidationError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

/** Command fragments: fixable, unfixable, quoted look-alikes, and shapes the rewrites must leave alone. */
const FRAGMENTS = [
  "apt-get update",
  "apt-get install curl",
  "apt install -y git",
  "apt-get install -y --no-install-recommends vim",
  "DEBIAN_FRONTEND=noninteractive apt-get -q install tzdata",
  "sudo apt-get install z",
  "apt-get remove wget",
  "apt upgrade",
  "apt list --installed",
  "rm -rf /var/lib/apt/lists/*",
  "pip install torch",
  "pip3 install -r requirements.txt",
  "python -m pip install 'numpy<2'",
  "export PIP_NO_CACHE_DIR=1",
  `echo 'apt-get install x'`,
  `echo "pip install y && apt install z"`,
  "cd /app",
  "make -j4 > build.log",
  "if true; then apt-get install a; fi",
  "(apt-get install b)",
  "cat <<EOF",
];
const QUOTED = /'[^']*'|"[^"]*"/g;
const OPERATORS = [" && ", " || ", "; ", " | ", " & "];

const commandText = fc
  .array(fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...OPERATORS), fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((parts) => {
    // A line break (folded lines, or a script's lines) may follow an operator.
    const lines: string[] = [];
    let line = "";
    parts.forEach(([fragment, operator, breakAfter], k) => {
      line += fragment;
      if (k === parts.length - 1) return;
      if (breakAfter) {
        lines.push(`${line}${operator.trimEnd()}`);
        line = "";
      } else {
        line += operator;
      }
    });
    lines.push(line);
    return lines;
  });

const runStep: fc.Arbitrary<Step> = fc.tuple(commandText, fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([lines, form, cached]) => {
  const mounts: readonly Mount[] = cached ? [{ type: "cache", target: "/root/.cache/pip" }] : [];
  const command: RunCommand =
    form === 0
      ? { form: "shell", lines }
      : form === 1
        ? { form: "script", script: `${lines.join("\n")}\n` }
        : form === 2
          ? { form: "exec", argv: ["sh", "-c", lines.join("\n")] }
          : { form: "exec", argv: (lines[0] ?? "true").split(" ").filter((word) => word !== "") };
  return mounts.length === 0 ? { kind: "run", command } : { kind: "run", command, mounts };
});

const otherStep: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom("/srv", "app", "../data", "/opt/$APP", "sub/dir").map((path): Step => ({ kind: "workdir", path })),
  fc.constant(env("PIP_NO_CACHE_DIR", "1")),
  fc.constantFrom("root", "1000").map((name) => user(name)),
);

const specs: fc.Arbitrary<ImageSpec> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: runStep }, { weight: 1, arbitrary: otherStep }), { minLength: 1, maxLength: 5 }),
    fc.array(fc.oneof({ weight: 3, arbitrary: runStep }, { weight: 1, arbitrary: otherStep }), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([first, second, twoStages]) =>
    twoStages
      ? stages({ id: "base", base: { image: "debian:bookworm-slim" }, steps: first }, { id: "app", base: { stage: "base" }, steps: second })
      : stages({ id: "app", base: { image: "debian:bookworm-slim" }, steps: first }),
  );

const texts = (step: Step | undefined): string =>
  step?.kind !== "run"
    ? ""
    : step.command.form === "shell"
      ? step.command.lines.join(" ")
      : step.command.form === "script"
        ? step.command.script
        : step.command.argv.join(" ");

describe("fixLint: properties", () => {
  it("never adds findings, returns a valid fixed point, and changes only the steps it says it fixed", () => {
    fc.assert(
      fc.property(specs, (spec) => {
        fc.pre(validateSpec(spec).length === 0);
        const result = fixLint(spec);
        expect(result.remaining.length).toBeLessThanOrEqual(lint(spec).length);
        expect(result.remaining).toEqual(lint(result.spec));
        expect(parseSpec(JSON.parse(JSON.stringify(result.spec))).ok).toBe(true);
        expect(validateSpec(result.spec)).toEqual([]);
        expect(fixLint(result.spec).applied).toEqual([]);
        const fixedSteps = new Set(result.applied.map((fix) => `${fix.stage}/${fix.step}`));
        spec.stages.forEach((stage, s) => {
          const after = result.spec.stages[s];
          expect(after?.steps.length).toBe(stage.steps.length);
          stage.steps.forEach((step, k) => {
            const fixed = after?.steps[k];
            if (!fixedSteps.has(`${stage.id}/${k}`)) expect(fixed).toEqual(step);
            // Quoted text is never touched.
            for (const quoted of texts(step).match(QUOTED) ?? []) expect(texts(fixed)).toContain(quoted);
          });
        });
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
