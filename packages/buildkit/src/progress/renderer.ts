import type { ProgressEvent } from "./events.ts";

/** Where a renderer writes: a `process.stdout`, a file stream, or anything with `write`. */
export interface ProgressOutput {
  write(chunk: string): unknown;
  /** A terminal: the `tty` renderer needs it (`auto` picks `tty` only then). */
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Consumes progress events and writes them out. */
export interface ProgressRenderer {
  handle(event: ProgressEvent): void;
  /** Writes what is still pending (partial log lines, the error summary, the final frame). */
  end(): void;
}

/** The last lines an errored vertex logged, for the summary after a failure. */
export const SUMMARY_LINES = 10;

/**
 * The failure summary buildx prints after a build: for each errored (not cancelled) vertex, its last log lines
 * between `------` rules.
 */
export function errorSummary(failed: readonly { readonly name: string; readonly lines: readonly string[] }[]): string {
  return failed
    .map(({ name, lines }) => ["------", ` > ${name}:`, ...lines.slice(-SUMMARY_LINES), "------", ""].join("\n"))
    .join("");
}
