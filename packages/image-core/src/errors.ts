// One error hierarchy for every package (STYLE.md item 9): callers match on class or `code`, never on text.

/** Where a builder method was called from, so an issue points at the user's line, not ours. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One problem found in an image definition. */
export interface Issue {
  /** Stable identifier, e.g. `invalid-env-key`. */
  readonly code: string;
  readonly severity: "error";
  /** The builder method (`withEnv`), or the IR field for specs from JSON. */
  readonly method: string;
  /** The stage the step belongs to (its id). Absent for issues about the image reference. */
  readonly stage?: string;
  /** Index of the step within its stage; absent for the reference, the readme and the base. */
  readonly step?: number;
  /** Path inside the IR to the offending value, e.g. `["stages", 0, "steps", 3, "key"]`. */
  readonly path: readonly (string | number)[];
  /** The offending value, as given. */
  readonly value: unknown;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Where the method was called from, when known. */
  readonly location?: SourceLocation;
}

export interface ChutesErrorOptions {
  readonly cause?: unknown;
}

/** Base of every error the chutes-image packages throw. */
export class ChutesError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options: ChutesErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ChutesError";
    this.code = code;
  }
}

/** Thrown by render/build/fromJSON when a definition has issues; holds all of them. */
export class ValidationError extends ChutesError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], options: ChutesErrorOptions = {}) {
    super("validation-failed", formatIssues(issues), options);
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/** One line per issue: `file:line  method (step N): message`. */
export function formatIssue(issue: Issue): string {
  const where = issue.location ? `${issue.location.file}:${issue.location.line}:${issue.location.column}  ` : "";
  const step = issue.step === undefined ? "" : ` (stage ${issue.stage ?? "?"}, step ${issue.step})`;
  return `${where}${issue.method}${step}: ${issue.message} [${issue.code}]`;
}

function formatIssues(issues: readonly Issue[]): string {
  const head = `${issues.length} problem${issues.length === 1 ? "" : "s"} in the image definition:`;
  return [head, ...issues.map((issue) => `  - ${formatIssue(issue)}`)].join("\n");
}
