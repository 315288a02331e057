// Runs a command without a shell and keeps what it printed, so a failing check shows the tool's own words.

import { execFile } from "node:child_process";

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time of the command. */
  readonly ms: number;
}

/** A command that exited with a status other than 0 (or timed out); the message holds its output. */
export class CommandError extends Error {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(command: string, exitCode: number | null, stdout: string, stderr: string) {
    const output = `${stdout}\n${stderr}`.trim();
    super(`\`${command}\` failed (exit code ${String(exitCode)})${output === "" ? "" : `:\n${output}`}`);
    this.name = "CommandError";
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** Runs `file args...` in `cwd`; resolves with its output, rejects with `CommandError`. */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const command = [file, ...args].join(" ");
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr, ms: Math.round(performance.now() - started) });
          return;
        }
        const code = typeof error.code === "number" ? error.code : null;
        reject(new CommandError(command, code, stdout, stderr));
      },
    );
  });
}
