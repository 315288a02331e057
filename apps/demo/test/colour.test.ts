// Colour: never with NO_COLOR (https://no-color.org), always with FORCE_COLOR, otherwise only on a terminal. The built CLI
// runs piped (no terminal) and, through util-linux `script`, on a pseudo-terminal; the build cases need an engine
// (skipped when none answers, failing under CI=true).
import { execFile, execFileSync } from "node:child_process";
import { ci, isReachable, selectedEngines } from "@chutes/test-support/engines";
import { describe, expect, it, test } from "vitest";
import { colourEnabled, painter } from "../src/colour.ts";
import { ESC, SGR, chutesImage, cleanEnv, cli, repo } from "./support/cli.ts";
import type { Result } from "./support/cli.ts";

// eslint-disable-next-line no-control-regex
const CURSOR_UP = /\u001b\[\d+A/;

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Runs the built CLI on a pseudo-terminal (stdout and stderr both a TTY); the output is both, with \r\n. */
function onTerminal(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Result> {
  const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, cli, ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    execFile("script", ["-qec", command, "/dev/null"], { cwd: repo, env: cleanEnv({ TERM: "xterm", ...env }), maxBuffer: 16 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

describe("colourEnabled", () => {
  it("is on for a terminal only, off with NO_COLOR whatever else is set, and FORCE_COLOR decides otherwise", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: "false" })).toBe(false); // any non-empty value
    expect(colourEnabled(tty, { NO_COLOR: "" })).toBe(true); // empty: as if unset
    expect(colourEnabled(tty, { TERM: "dumb" })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(false); // NO_COLOR always wins
    expect(colourEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: "false" })).toBe(false);
  });

  it("paints only when enabled", () => {
    expect(painter(true)("red", "x")).toBe("\u001b[31mx\u001b[0m");
    expect(painter(false)("red", "x")).toBe("x");
  });
});

describe("chutes-image output without a terminal", () => {
  const commands: readonly (readonly string[])[] = [
    ["--help"],
    ["init", "--help"],
    ["render", "examples/demo/image.ts"],
    ["inspect", "examples/demo/image.ts"],
    ["lint", "examples/demo/image.ts"],
    ["context", "examples/demo", "--image", "examples/demo/image.ts"],
    ["presets"],
    ["presets", "resolve", "torch=2.5", "cuda=12.8"],
    ["engine", "status"],
    ["engine", "status", "--engine", "docker+unix:///nonexistent/docker.sock"],
    ["build", "apps/demo/test/fixtures/build/failing.ts", "--engine", "docker+unix:///nonexistent/docker.sock"],
    ["deploy"],
  ];

  it("has no escape sequences with NO_COLOR=1, even with FORCE_COLOR=1", { timeout: 60_000 }, async () => {
    for (const args of commands) {
      const result = await chutesImage(args, { env: { NO_COLOR: "1" } });
      expect(result.stdout + result.stderr, args.join(" ")).not.toContain(ESC);
    }
    const both = await chutesImage(["engine", "status", "--engine", "docker+unix:///nonexistent/docker.sock"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(both.stdout).not.toContain(ESC);
  });

  it("has none without NO_COLOR either (not a terminal), but FORCE_COLOR=1 colours", async () => {
    const plain = await chutesImage(["engine", "status", "--engine", "docker+unix:///nonexistent/docker.sock"]);
    expect(plain.stdout).not.toContain(ESC);
    const forced = await chutesImage(["engine", "status", "--engine", "docker+unix:///nonexistent/docker.sock"], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("answers: \u001b[31mno\u001b[0m");
  });
});

// `script` (util-linux, in every Debian) gives the CLI a real terminal. Under CI its absence is a failure, not a skip.
test.runIf(ci)("script(1) is installed, so the terminal tests run", () => {
  expect(hasScript, "install util-linux (script) to run the terminal tests").toBe(true);
});

describe.runIf(hasScript)("chutes-image on a terminal", () => {
  it("colours engine status, and not with NO_COLOR=1", async () => {
    const args = ["engine", "status", "--engine", "docker+unix:///nonexistent/docker.sock"];
    const coloured = await onTerminal(args);
    expect(coloured.stdout).toContain("answers: \u001b[31mno\u001b[0m");
    const plain = await onTerminal(args, { NO_COLOR: "1" });
    expect(plain.stdout).toContain("answers: no:");
    expect(plain.stdout).not.toContain(ESC);
  });
});

const engine = selectedEngines().at(-1);
const up = engine !== undefined && (await isReachable(engine));

describe.runIf(engine !== undefined)("chutes-image build progress and colour", () => {
  const withEngine = test.skipIf(!up && !ci);
  const withEngineOnTerminal = test.skipIf((!up && !ci) || !hasScript);
  const buildArgs = (): string[] => {
    if (engine === undefined || !up) throw new Error(`CI is set but ${engine?.label ?? "no engine"} is not reachable: start it with \`bash scripts/engine.sh up\``);
    return [
      "build",
      "apps/demo/test/fixtures/build/mapped.ts",
      "--base-map",
      "python:3.11-slim=local/debian:bookworm-minbase",
      "--network",
      "none",
      "--output",
      "type=tar,dest=/dev/null",
      "--engine",
      engine.address,
    ];
  };

  withEngine("piped with NO_COLOR=1: plain progress, no escape sequences at all", { timeout: 120_000 }, async () => {
    const result = await chutesImage(buildArgs(), { env: { NO_COLOR: "1" } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^#\d+ /m);
    expect(result.stdout + result.stderr).not.toContain(ESC);
  });

  withEngineOnTerminal("on a terminal: the redrawing view, coloured, and without colour under NO_COLOR=1", { timeout: 120_000 }, async () => {
    const coloured = await onTerminal(buildArgs());
    expect(coloured.code, coloured.stdout).toBe(0);
    expect(coloured.stdout).toContain("[+] Building");
    expect(coloured.stdout).toMatch(CURSOR_UP); // redraws
    expect(coloured.stdout).toMatch(SGR);
    const plain = await onTerminal(buildArgs(), { NO_COLOR: "1" });
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toContain("[+] Building");
    expect(plain.stdout).toMatch(CURSOR_UP); // still a terminal: still redraws
    expect(plain.stdout).not.toMatch(SGR); // but no colour
  });
});
