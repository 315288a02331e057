// Runs the built CLI (dist/cli.js) as a user would, with plain node: it must resolve every package's dist.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const repo = fileURLToPath(new URL("../../../", import.meta.url));

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function chutesImage(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("chutes-image (built CLI)", () => {
  it("renders the demo image's Dockerfile", async () => {
    const result = await chutesImage("render", "examples/demo/image.ts");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot("./golden/demo.Dockerfile");
  });

  it("inspects the demo image as JSON", async () => {
    const result = await chutesImage("inspect", "examples/demo/image.ts", "--json");
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { ref: string; uid: string; digest: string; readme: string; config: Record<string, unknown> };
    expect(out.ref).toBe("chutes-demo/hello-inference:0.1.0");
    expect(out.readme).toBe("# Hello inference\n\nA tiny HTTP service.");
    expect(out.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.config).toMatchObject({
      Entrypoint: ["python3", "-m", "server"],
      Cmd: ["--port", "8000"],
      WorkingDir: "/srv/app",
      User: "app",
      ExposedPorts: { "8000/tcp": {} },
    });
    expect(out.config.Env).toContain("APP_HOME=/srv/app");
  });

  it("prints a readable config", async () => {
    const result = await chutesImage("inspect", "examples/demo/image.ts");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Image\s+chutes-demo\/hello-inference:0\.1\.0$/m);
    expect(result.stdout).toMatch(/^WorkingDir\s+\/srv\/app$/m);
    expect(result.stdout).toMatch(/^Readme\s+# Hello inference\n\s+\(3 lines; --json for all\)$/m);
  });

  it("reports every problem with the file and line, and exits 1", async () => {
    const result = await chutesImage("render", "apps/demo/test/fixtures/invalid.ts");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("chutes-image render: apps/demo/test/fixtures/invalid.ts has 3 problems:");
    expect(lines[1]).toMatch(/^ {2}apps\/demo\/test\/fixtures\/invalid\.ts:3:\d+ {2}constructor: name "My_App" is not valid: .* \[invalid-name\]$/);
    expect(lines[2]).toMatch(/^ {2}apps\/demo\/test\/fixtures\/invalid\.ts:5:\d+ {2}withEnv \(stage my_app, step 0\): .*"BAD KEY".* \[invalid-env-key\]$/);
    expect(lines[3]).toMatch(/^ {2}apps\/demo\/test\/fixtures\/invalid\.ts:6:\d+ {2}exposePort \(stage my_app, step 1\): port 70000 .* \[invalid-port\]$/);
  });

  it("lints a default export and exits 1 on errors, with JSON output", async () => {
    const result = await chutesImage("lint", "apps/demo/test/fixtures/default-export.ts", "--json");
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as { rule: string; severity: string }[];
    expect(findings.some((finding) => finding.severity === "error")).toBe(true);
  });

  it("says which export to pick when there is no `image` export", async () => {
    const result = await chutesImage("inspect", "apps/demo/test/fixtures/no-export.ts");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "chutes-image inspect: apps/demo/test/fixtures/no-export.ts has no `image` or default export that is an Image; it exports images as app; pass --export app\n",
    );
    const picked = await chutesImage("render", "apps/demo/test/fixtures/no-export.ts", "--export", "app");
    expect(picked.code).toBe(0);
    expect(picked.stdout).toBe("FROM python:3.11-slim\n");
  });

  it("exits 2 with usage for bad invocations", async () => {
    expect((await chutesImage()).code).toBe(2);
    const unknown = await chutesImage("deploy", "x.ts");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^chutes-image: unknown command "deploy"; use init, render, inspect, lint, context, build, presets or engine\n\nUsage: chutes-image <command>/);
    expect((await chutesImage("render")).code).toBe(2);
    const help = await chutesImage("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: chutes-image <command> \[arguments\] \[options\]/);
    const option = await chutesImage("render", "examples/demo/image.ts", "--fancy");
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^chutes-image render: Unknown option '--fancy'.*\n\nUsage: chutes-image render <file.ts>/);
  });

  it("lists every command in the help, each with an example", async () => {
    const help = await chutesImage("--help");
    for (const command of ["init", "render", "inspect", "lint", "context", "build", "presets", "engine"]) {
      expect(help.stdout, command).toMatch(new RegExp(`^ {2}${command} `, "m"));
      expect(help.stdout, command).toMatch(new RegExp(`^ {2}chutes-image ${command} `, "m"));
    }
    expect(help.stdout).toMatch(
      /^ {2}lint <file\.ts> +check the definition against the best practices \(--fix applies the rules' rewrites and prints the fixed Dockerfile\)$/m,
    );
    expect(help.stdout).toContain("NO_COLOR");
  });

  it("shows each command's help with --help, help <command>, or --help <command>", async () => {
    for (const command of ["init", "render", "inspect", "lint", "context", "build", "presets", "engine"]) {
      const result = await chutesImage(command, "--help");
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(new RegExp(`^Usage: chutes-image ${command} `));
      // At least one concrete example of the command.
      expect(result.stdout, command).toMatch(new RegExp(`\\nExamples?:\\n(?: {2}.*\\n)* {2}(?:\\S+=\\S+ )*chutes-image ${command} \\S`));
    }
    expect((await chutesImage("help", "presets")).stdout).toMatch(/^Usage: chutes-image presets /);
    expect((await chutesImage("--help", "engine")).stdout).toMatch(/^Usage: chutes-image engine /);
    expect((await chutesImage("help")).stdout).toMatch(/^Usage: chutes-image <command>/);
  });

  it("fails clearly when the file cannot be loaded", async () => {
    const result = await chutesImage("render", "does/not/exist.ts");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^chutes-image render: could not load does\/not\/exist\.ts: /);
  });
});
