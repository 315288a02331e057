// `chutes-image lint`, called in-process on the definitions in ./fixtures (paths relative to apps/demo).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LINT_USAGE, lintCommand } from "../src/lint-command.ts";

const cwd = fileURLToPath(new URL("..", import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function lint(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await lintCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
  });
  return { code, stdout, stderr };
}

const FIXABLE = "test/fixtures/lint-fixable.ts";
const AT = `at ${FIXABLE}`;
const APT_INSTALL_FIX =
  '.aptInstall(["curl"]), which runs "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*" in one step';

const FIXED_DOCKERFILE = [
  "FROM debian:bookworm-slim",
  "RUN apt-get update && \\",
  "    apt-get install -y curl && \\",
  "    rm -rf /var/lib/apt/lists/*",
  "RUN pip install --no-cache-dir requests",
  "WORKDIR /srv",
  "WORKDIR /srv/app",
  "USER 1000",
  "",
].join("\n");

const APPLIED = [
  `fixed apt-missing-cleanup (stage fixable, step 0) ${AT}:5: appended "&& rm -rf /var/lib/apt/lists/*"`,
  `fixed apt-missing-update (stage fixable, step 0) ${AT}:5: added "apt-get update &&" before "apt install curl"`,
  `fixed apt-missing-yes (stage fixable, step 0) ${AT}:5: added -y to "apt install curl"`,
  `fixed prefer-apt-get (stage fixable, step 0) ${AT}:5: apt → apt-get in "apt install -y curl"`,
  `fixed pip-cache (stage fixable, step 1) ${AT}:6: added --no-cache-dir to "pip install requests"`,
  `fixed relative-workdir (stage fixable, step 3) ${AT}:8: "app" → "/srv/app" (resolved against "/srv")`,
];

const REMAINING_RECOMMENDS = [
  `info    apt-install-recommends (stage fixable, step 0) ${AT}:5: "apt-get install -y curl" also installs every package the named ones recommend, often hundreds of MB that the image never uses.`,
  `        fix: add --no-install-recommends ("apt-get install --no-install-recommends -y curl"), and name what you need; or use ${APT_INSTALL_FIX}`,
];

describe("chutes-image lint", () => {
  it("prints the findings with the line of the call that made each step, and exits 1 on an error", async () => {
    const result = await lint(FIXABLE);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines.filter((line) => !line.startsWith(" "))).toEqual([
      `info    apt-install-recommends (stage fixable, step 0) ${AT}:5: "apt install curl" also installs every package the named ones recommend, often hundreds of MB that the image never uses.`,
      `warning apt-missing-cleanup (stage fixable, step 0) ${AT}:5: "apt install curl" leaves the package lists (tens of MB) in the layer: removing them in a later step does not shrink the image, since each step is its own layer. Clean up in the same layer.`,
      `warning apt-missing-update (stage fixable, step 0) ${AT}:5: "apt install curl" runs without "apt-get update" before it in the same step: it depends on package lists from an older layer (or none, since base images ship without them), so it installs stale versions or fails.`,
      `error   apt-missing-yes (stage fixable, step 0) ${AT}:5: "apt install curl" has no -y: apt asks "Do you want to continue? [Y/n]", and with no terminal to answer it the build aborts (or depends on the package set staying small enough not to ask).`,
      `info    prefer-apt-get (stage fixable, step 0) ${AT}:5: "apt install curl" uses apt, whose command line is for interactive use: its output and behaviour may change between releases, and it warns "apt does not have a stable CLI interface".`,
      `warning pip-cache (stage fixable, step 1) ${AT}:6: "pip install requests" leaves pip's download cache (often hundreds of MB for ML wheels) in the layer; nothing ever reads it again.`,
      `info    relative-workdir (stage fixable, step 3) ${AT}:8: .setWorkdir("app") is relative: it resolves against the previous working directory (/srv), which a later change above it silently moves.`,
      "",
      "1 errors, 3 warnings, 3 infos",
      `6 fixes can be applied: chutes-image lint ${FIXABLE} --fix`,
      "",
    ]);
    expect(lines).toContain('        fix: use the absolute path: .setWorkdir("/srv/app")');
  });

  it("--json prints the findings as they are", async () => {
    const result = await lint(FIXABLE, "--json");
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as { rule: string; severity: string; stage?: string; step?: number }[];
    expect(findings.map((finding) => `${finding.severity} ${finding.rule}@${finding.step}`)).toEqual([
      "info apt-install-recommends@0",
      "warning apt-missing-cleanup@0",
      "warning apt-missing-update@0",
      "error apt-missing-yes@0",
      "info prefer-apt-get@0",
      "warning pip-cache@1",
      "info relative-workdir@3",
    ]);
  });

  it("--fix prints the fixed Dockerfile, and on stderr each fix with its line, then what remains", async () => {
    const result = await lint(FIXABLE, "--fix");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(FIXED_DOCKERFILE);
    expect(result.stderr).toBe([...APPLIED, "", ...REMAINING_RECOMMENDS, "", "0 errors, 0 warnings, 1 infos", ""].join("\n"));
  });

  it("--fix --json prints what was applied, what remains, the fixed spec and its Dockerfile", async () => {
    const result = await lint(FIXABLE, "--fix", "--json");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as {
      applied: { rule: string; stage: string; step: number; change: string; location: { file: string; line: number } }[];
      remaining: { rule: string; severity: string; stage: string; step: number }[];
      spec: { stages: { steps: unknown[] }[] };
      dockerfile: string;
    };
    expect(Object.keys(out)).toEqual(["applied", "remaining", "spec", "dockerfile"]);
    expect(out.applied.map((fix) => `fixed ${fix.rule} (stage ${fix.stage}, step ${fix.step}) at ${fix.location.file}:${fix.location.line}: ${fix.change}`)).toEqual(
      APPLIED,
    );
    expect(out.remaining).toMatchObject([{ rule: "apt-install-recommends", severity: "info", stage: "fixable", step: 0 }]);
    expect(out.spec.stages[0]?.steps[0]).toEqual({
      kind: "run",
      command: { form: "shell", lines: ["apt-get update &&", "apt-get install -y curl &&", "rm -rf /var/lib/apt/lists/*"] },
    });
    expect(out.dockerfile).toBe(FIXED_DOCKERFILE);
  });

  it("--fix exits 1 while an error no rule can fix remains", async () => {
    const result = await lint("test/fixtures/lint-secret.ts", "--fix");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(["FROM python:3.11-slim", 'ENV API_TOKEN="not-a-real-token-123"', "RUN pip install --no-cache-dir flask", "USER 1000", ""].join("\n"));
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe('fixed pip-cache (stage leaky, step 1) at test/fixtures/lint-secret.ts:6: added --no-cache-dir to "pip install flask"');
    expect(lines[1]).toBe("");
    expect(lines[2]).toMatch(/^error {3}secret-in-config \(stage leaky, step 0\) at test\/fixtures\/lint-secret\.ts:5: \.withEnv\("API_TOKEN", "not-…"\): /);
    expect(lines.slice(-2)).toEqual(["1 errors, 0 warnings, 0 infos", ""]);
  });

  it("--fix with nothing to fix prints the Dockerfile and no findings", async () => {
    const result = await lint("test/fixtures/lint-clean.ts", "--fix");
    expect(result).toEqual({
      code: 0,
      stdout: ["FROM python:3.11-slim", "RUN pip install --no-cache-dir flask", "USER 1000", ""].join("\n"),
      stderr: "No findings.\n",
    });
    expect(await lint("test/fixtures/lint-clean.ts")).toEqual({ code: 0, stdout: "No findings.\n", stderr: "" });
  });

  it("takes the image from --export", async () => {
    const result = await lint("test/fixtures/no-export.ts", "--export", "app", "--fix");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("FROM python:3.11-slim\n");
    expect(result.stderr.split("\n").slice(-2)).toEqual(["0 errors, 1 warnings, 0 infos", ""]);
  });

  it("reports an invalid definition with file and line, and exits 1", async () => {
    const result = await lint("test/fixtures/invalid.ts", "--fix");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("chutes-image lint: test/fixtures/invalid.ts has 3 problems:");
    expect(lines.slice(1).map((line) => /^ {2}(test\/fixtures\/invalid\.ts:\d+):\d+ {2}.*\[([a-z-]+)\]$/.exec(line)?.slice(1))).toEqual([
      ["test/fixtures/invalid.ts:3", "invalid-name"],
      ["test/fixtures/invalid.ts:5", "invalid-env-key"],
      ["test/fixtures/invalid.ts:6", "invalid-port"],
    ]);
  });

  it("fails clearly when the file cannot be loaded or has no image", async () => {
    expect(await lint("does/not/exist.ts")).toMatchObject({ code: 1, stdout: "" });
    expect((await lint("does/not/exist.ts")).stderr).toMatch(/^chutes-image lint: could not load does\/not\/exist\.ts: no such file/);
    expect(await lint("test/fixtures/no-export.ts")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "chutes-image lint: test/fixtures/no-export.ts has no `image` or default export that is an Image; it exports images as app; pass --export app\n",
    });
  });

  it("--help shows the options and an example; bad invocations exit 2 with usage", async () => {
    const help = await lint("--help");
    expect(help).toEqual({ code: 0, stdout: LINT_USAGE, stderr: "" });
    expect(LINT_USAGE).toMatch(/^Usage: chutes-image lint <file\.ts> \[options\]\n/);
    expect(LINT_USAGE).toContain("\nExample:\n  chutes-image lint image.ts --fix > Dockerfile\n");
    expect(await lint()).toEqual({
      code: 2,
      stdout: "",
      stderr: `chutes-image lint: give exactly one definition file, e.g. chutes-image lint image.ts\n\n${LINT_USAGE}`,
    });
    expect((await lint("a.ts", "b.ts")).code).toBe(2);
    const unknown = await lint(FIXABLE, "--fxi");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^chutes-image lint: Unknown option '--fxi'/);
  });
});
