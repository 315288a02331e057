// The IR: the one contract between packages (DESIGN.md section 3).
// Plain, readonly, JSON-serializable data. Arrays keep the user's order; every switch over `Step["kind"]`
// ends with an exhaustiveness check (see `assertNever`).

/** The IR format version. Bumped only for incompatible changes; `Image.fromJSON` refuses other versions. */
export const IR_VERSION = 1;

/** The reference the final image is named by: `{username}/{name}:{tag}`. */
export interface ImageRef {
  readonly username: string;
  readonly name: string;
  readonly tag: string;
}

/**
 * What a stage starts from: an image reference (`python:3.11-slim`), another stage of the same spec, or
 * nothing (`scratch`).
 */
export type StageBase = "scratch" | { readonly image: string } | { readonly stage: string };

/** A build stage. The last stage of a spec is the image; earlier ones exist because a step copies from them. */
export interface Stage {
  /** Unique within the spec; `[a-z][a-z0-9_.-]*`, usable as a Dockerfile stage name. */
  readonly id: string;
  readonly base: StageBase;
  readonly steps: readonly Step[];
}

/** The whole image definition. */
export interface ImageSpec {
  readonly irVersion: typeof IR_VERSION;
  readonly ref: ImageRef;
  readonly readme?: string;
  readonly stages: readonly Stage[];
}

// ---------------------------------------------------------------------------------------------------------
// RUN

/**
 * How a RUN step runs its command.
 * - `shell`: one shell command line, `lines.join(" ")`, run by the current shell (`/bin/sh -c` by default).
 *   `lines` are the pieces `runCommand` folded together; renderers may show them as continuations.
 * - `exec`: argv, run without a shell.
 * - `script`: a multi-line script given to `interpreter` (default: the current shell) as one argument after
 *   `-c`, so its lines stay lines.
 */
export type RunCommand =
  | { readonly form: "shell"; readonly lines: readonly string[] }
  | { readonly form: "exec"; readonly argv: readonly string[] }
  | { readonly form: "script"; readonly script: string; readonly interpreter?: readonly string[] };

/** A persistent cache directory shared between builds (`RUN --mount=type=cache`). */
export interface CacheMount {
  readonly type: "cache";
  readonly target: string;
  readonly id?: string;
  readonly sharing?: "shared" | "private" | "locked";
  readonly readonly?: boolean;
  readonly mode?: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** A secret from the build's session, present only while the step runs (`RUN --mount=type=secret`). */
export interface SecretMount {
  readonly type: "secret";
  readonly id: string;
  /**
   * Where the secret file appears. Default `/run/secrets/{id}`, unless `env` is given: then no file is mounted
   * unless a target is given too.
   */
  readonly target?: string;
  /**
   * Also expose the secret as this environment variable, for this step only (`RUN --mount=type=secret,env=NAME`).
   * Needs BuildKit 0.13+ on the LLB back end (cap `exec.secretenv`) or Dockerfile frontend 1.10+.
   */
  readonly env?: string;
  /** Fail the step when the secret is not provided (default false: the file is just absent). */
  readonly required?: boolean;
  readonly mode?: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** A scratch tmpfs, never part of a layer (`RUN --mount=type=tmpfs`). */
export interface TmpfsMount {
  readonly type: "tmpfs";
  readonly target: string;
  /** Size in bytes. */
  readonly size?: number;
}

export type Mount = CacheMount | SecretMount | TmpfsMount;

/** `default` is the builder's default network; `host` needs the `network.host` entitlement. */
export type NetworkMode = "default" | "none" | "host";

export interface RunStep {
  readonly kind: "run";
  readonly command: RunCommand;
  readonly mounts?: readonly Mount[];
  readonly network?: NetworkMode;
}

// ---------------------------------------------------------------------------------------------------------
// Files

/** Options shared by every file-copying step. */
export interface CopyOptions {
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  readonly chown?: string;
  /** Octal mode, 3 or 4 digits (`755`, `0644`). */
  readonly chmod?: string;
  /** Patterns (`.dockerignore` syntax) excluded from the sources. */
  readonly exclude?: readonly string[];
}

/**
 * `ADD`: local paths or globs relative to the context root, `http(s)://` URLs, or git sources
 * (`git@host:repo.git`, `https://host/repo.git#ref`). Local tar archives are extracted, as in Docker.
 */
export interface AddStep extends CopyOptions {
  readonly kind: "add";
  readonly sources: readonly string[];
  readonly dest: string;
  /** `sha256:`/`sha384:`/`sha512:` + hex, for URL sources. */
  readonly checksum?: string;
  /** Keep the `.git` directory of a git source. */
  readonly keepGitDir?: boolean;
}

/** `COPY` from the build context: local paths or globs only, no extraction, no URLs. */
export interface CopyStep extends CopyOptions {
  readonly kind: "copy";
  readonly sources: readonly string[];
  readonly dest: string;
}

/** `COPY --from=<stage>`: paths inside another stage of the same spec. */
export interface CopyFromStep extends CopyOptions {
  readonly kind: "copyFrom";
  readonly stage: string;
  readonly sources: readonly string[];
  readonly dest: string;
}

// ---------------------------------------------------------------------------------------------------------
// Configuration

export interface EnvStep {
  readonly kind: "env";
  readonly key: string;
  readonly value: string;
}

export interface WorkdirStep {
  readonly kind: "workdir";
  readonly path: string;
}

export interface UserStep {
  readonly kind: "user";
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  readonly user: string;
}

export interface EntrypointStep {
  readonly kind: "entrypoint";
  readonly argv: readonly string[];
}

export interface CmdStep {
  readonly kind: "cmd";
  readonly argv: readonly string[];
}

export interface LabelStep {
  readonly kind: "label";
  readonly key: string;
  readonly value: string;
}

export interface ExposeStep {
  readonly kind: "expose";
  readonly port: number;
  readonly protocol: "tcp" | "udp";
}

/** A container health check. `test: null` disables one inherited from the base (`HEALTHCHECK NONE`). */
export interface HealthcheckStep {
  readonly kind: "healthcheck";
  /** argv run without a shell, or `null` for NONE. */
  readonly test: readonly string[] | null;
  /** Durations in Go syntax: `30s`, `1m30s`, `500ms`. */
  readonly interval?: string;
  readonly timeout?: string;
  readonly startPeriod?: string;
  readonly startInterval?: string;
  readonly retries?: number;
}

export interface ArgStep {
  readonly kind: "arg";
  readonly name: string;
  readonly default?: string;
}

export interface ShellStep {
  readonly kind: "shell";
  readonly argv: readonly string[];
}

/** One instruction. A tagged union on `kind`. */
export type Step =
  | RunStep
  | AddStep
  | CopyStep
  | CopyFromStep
  | EnvStep
  | WorkdirStep
  | UserStep
  | EntrypointStep
  | CmdStep
  | LabelStep
  | ExposeStep
  | HealthcheckStep
  | ArgStep
  | ShellStep;

export type StepKind = Step["kind"];

/** Every step kind, in a stable order (for exhaustive tables and tests). */
export const STEP_KINDS: readonly StepKind[] = [
  "run",
  "add",
  "copy",
  "copyFrom",
  "env",
  "workdir",
  "user",
  "entrypoint",
  "cmd",
  "label",
  "expose",
  "healthcheck",
  "arg",
  "shell",
];

/** Ends a switch over a tagged union: a new variant becomes a compile error here. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** The shell command a `run` step executes, as one string (shell form) — the folded lines joined. */
export function shellCommandText(command: Extract<RunCommand, { form: "shell" }>): string {
  return command.lines.join(" ");
}
