// The evaluator (DESIGN.md section 5): walks the steps of every stage and yields the state each step sees and
// the image config at the end, mirroring BuildKit's Dockerfile frontend (moby/buildkit
// frontend/dockerfile/dockerfile2llb/convert.go) so that the LLB back end and the Dockerfile back end agree.

import type { BaseImageConfig, HealthcheckConfig, ImageConfig } from "./config.ts";
import { DEFAULT_PATH } from "./config.ts";
import { parseDuration } from "./duration.ts";
import { ChutesError } from "./errors.ts";
import { ExpansionError, expandWord } from "./expand.ts";
import type { AddStep, ArgStep, CopyFromStep, CopyStep, HealthcheckStep, ImageSpec, Stage, Step } from "./ir.ts";
import { cloneData, deepFreeze } from "./data.ts";
import { assertNever } from "./ir.ts";

export interface EvaluateOptions {
  /** Config of base images by reference (the string in `{ image: ... }`); missing → empty config. */
  readonly baseConfig?: BaseImageConfig | ((image: string) => BaseImageConfig | undefined);
  /** Values for `arg` steps (like `--build-arg`). */
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/** What a step sees before it runs. */
export interface StepState {
  /** The image config's environment so far, in order, the base image's included. */
  readonly env: readonly (readonly [string, string])[];
  /**
   * `arg` steps declared so far in this stage (and in the stage it is based on) with their values, in order.
   * An `arg` with neither a build arg nor a default is listed with `""` but is not set (see `runEnv`).
   */
  readonly args: readonly (readonly [string, string])[];
  /**
   * The variables `$VAR` expansion reads and a RUN step's process gets: `env` plus the `arg`s that have a
   * value, in one scope where the latest `env` or `arg` of a name wins (BuildKit's LLB state environment);
   * ordered by latest assignment.
   */
  readonly runEnv: readonly (readonly [string, string])[];
  /** Absolute; `/` when never set. */
  readonly workdir: string;
  /** `""` when never set. */
  readonly user: string;
  /** `["/bin/sh", "-c"]` unless a `shell` step or the base image's Shell set one. */
  readonly shell: readonly string[];
}

/** One step with its values expanded (and destination / working directory resolved), and its state. */
export interface EvaluatedStep {
  /** Index of the step within its stage. */
  readonly index: number;
  readonly step: Step;
  readonly state: StepState;
}

export interface StageEvaluation {
  readonly id: string;
  readonly steps: readonly EvaluatedStep[];
  /** The config at the end of the stage. */
  readonly config: ImageConfig;
}

export interface Evaluation {
  readonly stages: readonly StageEvaluation[];
  /** The config of the last stage: the image's (with no stages, an empty config without even PATH). */
  readonly config: ImageConfig;
}

/** The shell of shell-form commands when neither the base image nor a `shell` step sets one. */
export const DEFAULT_SHELL: readonly string[] = Object.freeze(["/bin/sh", "-c"]);

/**
 * Evaluates a spec: for every stage, the state each step sees and the expanded step, and the final image
 * config. Pure and deterministic; the result is deeply frozen and shares nothing with `spec`.
 * Throws `ChutesError` `unknown-stage` when a stage is based on a stage that is not defined before it,
 * `invalid-duration` for a healthcheck duration Go would not parse, and `ExpansionError` for a value that
 * cannot be expanded.
 */
export function evaluate(spec: ImageSpec, options: EvaluateOptions = {}): Evaluation {
  const finished = new Map<string, Draft>();
  const stages: StageEvaluation[] = [];
  for (const stage of spec.stages) {
    const draft = startStage(stage, finished, options);
    const steps: EvaluatedStep[] = [];
    stage.steps.forEach((step, index) => {
      const state = snapshotState(draft);
      steps.push({ index, step: applyStep(draft, step, { stage: stage.id, index, options }), state });
    });
    finished.set(stage.id, draft);
    stages.push({ id: stage.id, steps, config: toConfig(draft) });
  }
  const last = stages.at(-1);
  const config = last === undefined ? toConfig(emptyDraft()) : last.config;
  return deepFreeze({ stages, config });
}

// ---------------------------------------------------------------------------------------------------------
// The mutable state of one stage while it is evaluated.

type Pair = [string, string];

interface Draft {
  /** Config Env entries, in order, as stored (`KEY=value`; a base image's entry may lack the `=`). */
  env: string[];
  /** BuildKit's LLB state env: config env and valued args, ordered by latest assignment. */
  runEnv: Pair[];
  args: Pair[];
  /** Config WorkingDir: `""` when never set. */
  workingDir: string;
  /** The state's directory: `/` when never set. */
  workdir: string;
  user: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** Whether a `cmd` step ran in this stage (an `entrypoint` step resets an inherited Cmd only). */
  cmdSet: boolean;
  labels: Map<string, string>;
  exposedPorts: Set<string>;
  healthcheck: HealthcheckConfig | undefined;
  shell: string[] | undefined;
}

function emptyDraft(): Draft {
  return {
    env: [],
    runEnv: [],
    args: [],
    workingDir: "",
    workdir: "/",
    user: "",
    entrypoint: null,
    cmd: null,
    cmdSet: false,
    labels: new Map(),
    exposedPorts: new Set(),
    healthcheck: undefined,
    shell: undefined,
  };
}

function draftFromConfig(config: BaseImageConfig): Draft {
  const draft = emptyDraft();
  draft.env = [...(config.Env ?? [])];
  draft.workingDir = config.WorkingDir ?? "";
  draft.user = config.User ?? "";
  draft.entrypoint = config.Entrypoint ? [...config.Entrypoint] : null;
  draft.cmd = config.Cmd ? [...config.Cmd] : null;
  draft.labels = new Map(Object.entries(config.Labels ?? {}));
  draft.exposedPorts = new Set(Object.keys(config.ExposedPorts ?? {}));
  draft.healthcheck = config.Healthcheck ? { ...config.Healthcheck, Test: [...config.Healthcheck.Test] } : undefined;
  draft.shell = config.Shell ? [...config.Shell] : undefined;
  return draft;
}

function cloneDraft(draft: Draft): Draft {
  return {
    ...draft,
    env: [...draft.env],
    runEnv: draft.runEnv.map(([k, v]) => [k, v]),
    args: draft.args.map(([k, v]) => [k, v]),
    entrypoint: draft.entrypoint ? [...draft.entrypoint] : null,
    cmd: draft.cmd ? [...draft.cmd] : null,
    labels: new Map(draft.labels),
    exposedPorts: new Set(draft.exposedPorts),
    healthcheck: draft.healthcheck ? { ...draft.healthcheck, Test: [...draft.healthcheck.Test] } : undefined,
    shell: draft.shell ? [...draft.shell] : undefined,
  };
}

/** `KEY=value`; an entry without `=` is a key with an empty value (BuildKit's parseKeyValue). */
function parseKeyValue(entry: string): Pair {
  const at = entry.indexOf("=");
  return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
}

/** Docker's addEnv: a key set again keeps its position. */
function setEnv(env: string[], key: string, value: string): void {
  const at = env.findIndex((entry) => parseKeyValue(entry)[0] === key);
  if (at >= 0) env[at] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
}

/** llb.EnvList.AddOrReplace as listed by ToArray: a key set again moves to the end. */
function setRunEnv(runEnv: Pair[], key: string, value: string): void {
  const at = runEnv.findIndex(([k]) => k === key);
  if (at >= 0) runEnv.splice(at, 1);
  runEnv.push([key, value]);
}

/** The base of a stage, then what BuildKit's dispatchStages does before the first instruction. */
function startStage(stage: Stage, finished: ReadonlyMap<string, Draft>, options: EvaluateOptions): Draft {
  const base = stage.base;
  let draft: Draft;
  if (base === "scratch") {
    draft = emptyDraft();
  } else if ("stage" in base) {
    const parent = finished.get(base.stage);
    if (parent === undefined) {
      throw new ChutesError(
        "unknown-stage",
        `stage "${stage.id}" is based on stage "${base.stage}", which is not defined before it`,
      );
    }
    // A stage based on another inherits its config and its LLB state (environment with args, directory,
    // user) and its args; its `cmd` tracking starts afresh.
    draft = cloneDraft(parent);
    draft.cmdSet = false;
  } else {
    const config = typeof options.baseConfig === "function" ? options.baseConfig(base.image) : options.baseConfig;
    draft = draftFromConfig(config ?? {});
  }

  // Docker sets PATH for every stage whose config has none; it ends up in the image config.
  if (!draft.env.some((entry) => parseKeyValue(entry)[0] === "PATH")) draft.env.push(`PATH=${DEFAULT_PATH}`);
  for (const entry of draft.env) setRunEnv(draft.runEnv, ...parseKeyValue(entry));
  if (draft.workingDir !== "") {
    draft.workingDir = normalizeWorkdir(draft.workingDir, draft.workingDir);
    draft.workdir = draft.workingDir;
  }
  return draft;
}

// ---------------------------------------------------------------------------------------------------------
// Steps

interface StepContext {
  readonly stage: string;
  readonly index: number;
  readonly options: EvaluateOptions;
}

function snapshotState(draft: Draft): StepState {
  return {
    env: draft.env.map(parseKeyValue),
    args: draft.args.map(([k, v]) => [k, v] as const),
    runEnv: draft.runEnv.map(([k, v]) => [k, v] as const),
    workdir: draft.workdir,
    user: draft.user,
    shell: draft.shell && draft.shell.length > 0 ? [...draft.shell] : [...DEFAULT_SHELL],
  };
}

/** Applies one step to the draft; returns the step with its values expanded. */
function applyStep(draft: Draft, step: Step, context: StepContext): Step {
  const expand = (text: string): string => {
    try {
      return expandWord(text, (name) => draft.runEnv.find(([k]) => k === name)?.[1]);
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
      const where = `stage "${context.stage}", step ${context.index} (${step.kind})`;
      throw new ExpansionError(error.code, `${where}: ${error.message}`, error.text, { cause: error });
    }
  };

  switch (step.kind) {
    case "run":
      return cloneData(step);
    case "add":
      return {
        ...cloneData(step),
        ...expandCopyPaths(step, draft.workdir, expand),
        // BuildKit expands ADD's --checksum too (AddCommand.Expand); --chmod and --exclude are not expanded.
        ...(step.checksum === undefined ? {} : { checksum: expand(step.checksum) }),
      };
    case "copy":
    case "copyFrom":
      return { ...cloneData(step), ...expandCopyPaths(step, draft.workdir, expand) };
    case "env": {
      const key = expand(step.key);
      const value = expand(step.value);
      setEnv(draft.env, key, value);
      setRunEnv(draft.runEnv, key, value);
      return { kind: "env", key, value };
    }
    case "workdir": {
      const path = normalizeWorkdir(draft.workingDir, expand(step.path));
      draft.workingDir = path;
      draft.workdir = path;
      return { kind: "workdir", path };
    }
    case "user": {
      const user = expand(step.user);
      draft.user = user;
      return { kind: "user", user };
    }
    case "entrypoint":
      draft.entrypoint = [...step.argv];
      if (!draft.cmdSet) draft.cmd = null;
      return cloneData(step);
    case "cmd":
      draft.cmd = [...step.argv];
      draft.cmdSet = true;
      return cloneData(step);
    case "label": {
      const key = expand(step.key);
      const value = expand(step.value);
      draft.labels.set(key, value);
      return { kind: "label", key, value };
    }
    case "expose":
      draft.exposedPorts.add(`${step.port}/${step.protocol}`);
      return cloneData(step);
    case "healthcheck":
      draft.healthcheck = healthcheckConfig(step, context);
      return cloneData(step);
    case "arg":
      return applyArg(draft, step, context, expand);
    case "shell":
      draft.shell = [...step.argv];
      return cloneData(step);
    default:
      return assertNever(step, "step kind");
  }
}

/** Sources and `chown` expanded, `dest` expanded and resolved against the working directory. */
function expandCopyPaths(
  step: AddStep | CopyStep | CopyFromStep,
  workdir: string,
  expand: (text: string) => string,
): { sources: string[]; dest: string; chown?: string } {
  return {
    ...(step.chown === undefined ? {} : { chown: expand(step.chown) }),
    sources: step.sources.map(expand),
    dest: pathRelativeToWorkingDir(workdir, expand(step.dest)),
  };
}

/**
 * BuildKit's dispatchArg: the value is the build arg (not expanded) or else the expanded default; an arg with
 * a value joins the expansion / RUN environment, one without stays unset.
 */
function applyArg(
  draft: Draft,
  step: ArgStep,
  context: StepContext,
  expand: (text: string) => string,
): Step {
  const buildArgs = context.options.buildArgs ?? {};
  let value: string | undefined;
  let expandedDefault: string | undefined;
  if (Object.hasOwn(buildArgs, step.name)) {
    value = buildArgs[step.name];
  } else if (step.default !== undefined) {
    expandedDefault = expand(step.default);
    value = expandedDefault;
  }
  const at = draft.args.findIndex(([k]) => k === step.name);
  const entry: Pair = [step.name, value ?? ""];
  if (at >= 0) draft.args[at] = entry;
  else draft.args.push(entry);
  if (value !== undefined) setRunEnv(draft.runEnv, step.name, value);
  return expandedDefault === undefined ? cloneData(step) : { kind: "arg", name: step.name, default: expandedDefault };
}

function healthcheckConfig(step: HealthcheckStep, context: StepContext): HealthcheckConfig {
  if (step.test === null) return { Test: ["NONE"] };
  const duration = (field: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const ns = parseDuration(text);
    if (ns === undefined) {
      const where = `stage "${context.stage}", step ${context.index} (healthcheck)`;
      const detail = `${field} ${JSON.stringify(text)} is not a duration such as 30s, 1m30s or 500ms`;
      throw new ChutesError("invalid-duration", `${where}: ${detail}`);
    }
    return ns;
  };
  const interval = duration("interval", step.interval);
  const timeout = duration("timeout", step.timeout);
  const startPeriod = duration("startPeriod", step.startPeriod);
  const startInterval = duration("startInterval", step.startInterval);
  // Zero values are absent from Docker's config (`omitempty`), exactly like values never given.
  return {
    Test: ["CMD", ...step.test],
    ...(interval ? { Interval: interval } : {}),
    ...(timeout ? { Timeout: timeout } : {}),
    ...(startPeriod ? { StartPeriod: startPeriod } : {}),
    ...(startInterval ? { StartInterval: startInterval } : {}),
    ...(step.retries ? { Retries: step.retries } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Config

function toConfig(draft: Draft): ImageConfig {
  const labels: Record<string, string> = {};
  for (const key of [...draft.labels.keys()].sort(compareCodePoints)) labels[key] = draft.labels.get(key) ?? "";
  const exposedPorts: Record<string, Record<string, never>> = {};
  for (const key of [...draft.exposedPorts].sort(compareCodePoints)) exposedPorts[key] = {};
  return deepFreeze({
    Env: [...draft.env],
    // An empty Entrypoint or Cmd is omitted from an image config (`omitempty`), so it reads back as null.
    Entrypoint: draft.entrypoint && draft.entrypoint.length > 0 ? [...draft.entrypoint] : null,
    Cmd: draft.cmd && draft.cmd.length > 0 ? [...draft.cmd] : null,
    WorkingDir: draft.workingDir,
    User: draft.user,
    Labels: labels,
    ExposedPorts: exposedPorts,
    ...(draft.healthcheck ? { Healthcheck: cloneData(draft.healthcheck) } : {}),
    ...(draft.shell ? { Shell: [...draft.shell] } : {}),
  });
}

/** Code point order (Go sorts map keys by UTF-8 bytes, which is the same order). */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (ch) => ch.codePointAt(0) ?? 0);
  const right = Array.from(b, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

// ---------------------------------------------------------------------------------------------------------
// Paths: BuildKit's util/system NormalizePath for Linux, built on Go's path.Clean and path.Join.

/** Go's `path.Clean`. */
function cleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts.at(-1) !== "..") parts.pop();
      else if (!rooted) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  const cleaned = (rooted ? "/" : "") + parts.join("/");
  return cleaned === "" ? "." : cleaned;
}

/** Go's `path.Join`. */
function joinPath(...elements: string[]): string {
  const nonEmpty = elements.filter((e) => e !== "");
  return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join("/"));
}

/**
 * A relative path joins `parent` and is cleaned; an absolute one is kept as written (BuildKit does not clean
 * it). With `keepSlash`, a trailing `/` (or `/.`) of the original survives the join.
 */
function normalizePath(parent: string, path: string, keepSlash: boolean): string {
  const original = path;
  let dir = parent === "" ? "/" : parent;
  if (!dir.startsWith("/")) dir = joinPath("/", dir);
  let result = path === "" ? dir : path;
  if (!result.startsWith("/")) result = joinPath(dir, result);
  if (keepSlash) {
    if (original.endsWith("/") && !result.endsWith("/")) {
      result += "/";
    } else if (original.endsWith("/.")) {
      if (result !== "/") result += "/";
      result += ".";
    }
  }
  return result;
}

/** BuildKit's NormalizeWorkdir: the new working directory given the current config WorkingDir. */
function normalizeWorkdir(current: string, path: string): string {
  return normalizePath(current, path, false);
}

/** BuildKit's pathRelativeToWorkingDir: the destination of a copy. `.` and `""` mean the directory itself. */
function pathRelativeToWorkingDir(workdir: string, dest: string): string {
  if (dest.startsWith("/")) return normalizePath("/", dest, true);
  return normalizePath(workdir, dest === "." || dest === "" ? "./" : dest, true);
}
