// Runs the built CLI (dist/cli.js) as a user would: plain node, its own process, a clean environment for the
// variables the CLI reads (engine addresses, colour), so the machine's settings do not leak into assertions.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const repo = fileURLToPath(new URL("../../../../", import.meta.url));

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Added to the environment; NO_COLOR, FORCE_COLOR, DOCKER_HOST, BUILDKIT_HOST are unset unless given here. */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Another copy of the CLI to run. */
  readonly script?: string;
}

const CLEARED = ["NO_COLOR", "FORCE_COLOR", "DOCKER_HOST", "BUILDKIT_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"];

/** The environment the CLI runs with: the test's, minus the variables above, plus `extra`. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CLEARED.includes(name)));
  return { ...env, ...extra };
}

export function chutesImage(args: readonly string[], options: RunOptions = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.script ?? cli, ...args],
      { cwd: options.cwd ?? repo, env: cleanEnv(options.env), maxBuffer: 16 << 20, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** ESC, the first byte of every ANSI sequence (colour, cursor movement). */
export const ESC = "\u001b";

/** An SGR (colour / style) sequence. */
// eslint-disable-next-line no-control-regex
export const SGR = /\u001b\[[0-9;]*m/;
