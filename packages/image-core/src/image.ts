// The immutable Image builder (DESIGN.md section 4): the Chutes SDK's API in camelCase, plus multi-stage,
// mounts, health checks and presets. Every method returns a new frozen Image; errors are recorded, not thrown,
// and come back all together from validate() (or as one ValidationError from render/inspect/build).

/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion --
   The public methods coerce their arguments (String(), Number()) on purpose: JavaScript callers and
   definitions loaded at run time are not type-checked, and the IR must hold strings and numbers. */

import { callerLocation } from "./callsite.ts";
import type { ImageConfig } from "./config.ts";
import { ValidationError } from "./errors.ts";
import type { Issue, SourceLocation } from "./errors.ts";
import { evaluate } from "./evaluate.ts";
import type { Evaluation, EvaluateOptions } from "./evaluate.ts";
import { escapeLiteral } from "./expand.ts";
import { deepFreeze } from "./data.ts";
import { foldCommandDetailed } from "./fold.ts";
import { imageUid, specDigest } from "./identity.ts";
import { IR_VERSION } from "./ir.ts";
import type {
  CopyOptions,
  ImageRef,
  ImageSpec,
  Mount,
  NetworkMode,
  RunCommand,
  Stage,
  StageBase,
  Step,
} from "./ir.ts";
import { parsePythonVersion, pythonInstallScript } from "./python.ts";
import { parseSpec } from "./schema.ts";
import { validateSpec } from "./validate.ts";
import type { SpecOrigins, StageOrigins, StepOrigin } from "./validate.ts";

/** Options of `runCommand` and `runScript`. */
export interface RunOptions {
  /** Cache, secret and tmpfs mounts present only while the step runs. */
  readonly mounts?: readonly Mount[];
  readonly network?: NetworkMode;
}

/** Options of `runScript`. */
export interface RunScriptOptions extends RunOptions {
  /** The program that runs the script with `-c`, e.g. `["python3"]`; default: the current shell. */
  readonly interpreter?: readonly string[];
}

/** Options of `add`. */
export interface AddOptions extends CopyOptions {
  /** `sha256:`/`sha384:`/`sha512:` + hex, verified for URL sources. */
  readonly checksum?: string;
  /** Keep the `.git` directory of a git source. */
  readonly keepGitDir?: boolean;
}

/** Options of `withEnv` and `withLabel`. */
export interface ValueOptions {
  /** Take the value literally: no `$VAR` expansion, backslashes kept. Default false (Dockerfile semantics). */
  readonly literal?: boolean;
}

/** Options of `withHealthcheck`; durations are Go durations such as `30s` or `1m30s`. */
export interface HealthcheckOptions {
  readonly interval?: string;
  readonly timeout?: string;
  readonly startPeriod?: string;
  readonly startInterval?: string;
  readonly retries?: number;
}

/** A preset or any reusable fragment: a plain function from image to image, applied with `image.with(fn)`. */
export type ImageTransform = (image: Image) => Image;

/** The base an Image starts from until `fromBase` replaces it: the Chutes SDK's default. */
export const DEFAULT_BASE_IMAGE = "parachutes/python:3.12";

/** The label `withMaintainer` sets (Docker's MAINTAINER instruction is deprecated). */
export const MAINTAINER_LABEL = "org.opencontainers.image.authors";

const BRAND = Symbol.for("@chutes/image-core/Image");

type Base = StageBase | { readonly from: Image };

interface Entry {
  readonly step: Step;
  readonly origin: StepOrigin;
  /** For copyFrom steps built from an Image: the stage image (its stage id is assigned when flattening). */
  readonly from?: Image;
}

/** An issue recorded by a call, before its stage id is known. */
type CallIssue = Omit<Issue, "stage">;

interface State {
  readonly ref: ImageRef;
  readonly readme: string | undefined;
  readonly refOrigin: StepOrigin;
  readonly base: Base;
  readonly baseOrigin: StepOrigin | undefined;
  readonly entries: readonly Entry[];
  readonly callIssues: readonly CallIssue[];
  /** Stage id wanted for this image when it is a stage of another (set by fromJSON). */
  readonly stageId: string | undefined;
  /** Earlier stages that must appear even when nothing references them (set by fromJSON). */
  readonly declared: readonly Image[];
}

interface Flat {
  readonly spec: ImageSpec;
  readonly origins: SpecOrigins;
  readonly images: readonly Image[];
}

let pending: State | undefined;

/** Reads an image's state from module code outside the class (set by the class's static block). */
let stateOf: (image: Image) => State;

/**
 * A container image definition. Immutable: every method returns a new Image and leaves this one unchanged.
 *
 * ```ts
 * const image = new Image("myuser", "myapp", "1.0.0")
 *   .fromBase("python:3.11-slim")
 *   .add("requirements.txt", "/app/requirements.txt")
 *   .runCommand("pip install --no-cache-dir -r /app/requirements.txt")
 *   .setUser("1000:1000");
 * ```
 */
export class Image {
  readonly #state: State;
  #flat: Flat | undefined;

  /**
   * @param username the Chutes username or organization (lowercase letters, digits, hyphens; at most 63)
   * @param name the image name (same rules)
   * @param tag the version tag (default `latest`, which the linter flags for production)
   * @param readme Markdown documentation carried with the image (not baked into a layer)
   */
  constructor(username: string, name: string, tag = "latest", readme?: string) {
    if (pending !== undefined) {
      this.#state = pending;
      pending = undefined;
    } else {
      const location = callerLocation();
      this.#state = {
        ref: { username: String(username), name: String(name), tag: String(tag) },
        readme: readme === undefined ? undefined : String(readme),
        refOrigin: origin("constructor", location),
        base: { image: DEFAULT_BASE_IMAGE },
        baseOrigin: origin("constructor", location),
        entries: [],
        callIssues: [],
        stageId: undefined,
        declared: [],
      };
    }
    Object.defineProperty(this, BRAND, { value: true });
    Object.freeze(this);
  }

  /** True for an Image from any copy of this package (checks a global brand, not `instanceof`). */
  static isImage(value: unknown): value is Image {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /**
   * Reads an IR document (an object, or its JSON text). Throws a ValidationError if it does not have the IR's
   * shape; rule violations (a bad tag, an unknown stage) are reported later by `validate()`, as for the builder.
   */
  static fromJSON(json: unknown): Image {
    let data = json;
    if (typeof json === "string") {
      try {
        data = JSON.parse(json);
      } catch (error) {
        throw new ValidationError(
          [
            {
              code: "invalid-json",
              severity: "error",
              method: "fromJSON",
              path: [],
              value: json.length > 80 ? `${json.slice(0, 80)}…` : json,
              message: `the text is not JSON (${(error as Error).message}); pass the object image.toJSON() returned, or its JSON.stringify`,
            },
          ],
          { cause: error },
        );
      }
    }
    const parsed = parseSpec(data);
    if (!parsed.ok) throw new ValidationError(parsed.issues);
    return imageFromSpec(parsed.spec);
  }

  // ------------------------------------------------------------------------------------------------------
  // Identity and data

  /** `{ username, name, tag }`. */
  get ref(): ImageRef {
    return this.#state.ref;
  }
  get username(): string {
    return this.#state.ref.username;
  }
  get name(): string {
    return this.#state.ref.name;
  }
  get tag(): string {
    return this.#state.ref.tag;
  }
  get readme(): string | undefined {
    return this.#state.readme;
  }
  /** The Chutes SDK's uid: uuid5 in the OID namespace of `{username lowercased}/{name}:{tag}`. */
  get uid(): string {
    return imageUid(this.#state.ref);
  }
  /** `{username}/{name}:{tag}`. */
  toString(): string {
    const { username, name, tag } = this.#state.ref;
    return `${username}/${name}:${tag}`;
  }

  /** The IR: plain, readonly, JSON-serializable data. */
  toJSON(): ImageSpec {
    return this.#flatten().spec;
  }

  /** `sha256:` of the canonical serialization of the IR: stable across key order, runs and machines. */
  digest(): string {
    return specDigest(this.toJSON());
  }

  /** Every issue in the definition (empty when valid), with method, step and caller location. */
  validate(): Issue[] {
    const flat = this.#flatten();
    const issues = validateSpec(flat.spec, flat.origins);
    flat.images.forEach((image, stageIndex) => {
      const stage = flat.spec.stages[stageIndex];
      for (const issue of image.#state.callIssues) issues.push({ ...issue, ...(stage ? { stage: stage.id } : {}) });
    });
    const order = new Map(flat.spec.stages.map((stage, index) => [stage.id, index]));
    return issues
      .map((issue, index) => ({ issue, index }))
      .sort((a, b) => rank(a.issue) - rank(b.issue) || a.index - b.index)
      .map(({ issue }) => issue);

    function rank(issue: Issue): number {
      if (issue.stage === undefined) return -1;
      return (order.get(issue.stage) ?? 0) * 1e6 + (issue.step ?? -1);
    }
  }

  /**
   * The builder method and call site that made a step (stage id and step index as in the IR), for error
   * messages such as a failed RUN; undefined for an unknown step. Specs read with `fromJSON` have no locations.
   */
  originOf(stageId: string, step: number): StepOrigin | undefined {
    const flat = this.#flatten();
    const index = flat.spec.stages.findIndex((stage) => stage.id === stageId);
    return index === -1 ? undefined : flat.origins.stages?.[index]?.steps[step];
  }

  /** Throws one ValidationError listing every issue, if there are any. */
  assertValid(): void {
    const issues = this.validate();
    if (issues.length > 0) throw new ValidationError(issues);
  }

  /**
   * The image config this definition produces (Env, Entrypoint, Cmd, WorkingDir, User, Labels, ExposedPorts,
   * Healthcheck), without building. Give the base image's config to see what it contributes (its PATH, ...).
   */
  inspect(baseConfig?: EvaluateOptions["baseConfig"], options: Omit<EvaluateOptions, "baseConfig"> = {}): ImageConfig {
    return this.evaluate({ ...options, ...(baseConfig === undefined ? {} : { baseConfig }) }).config;
  }

  /** The state every step sees and each stage's config. Throws a ValidationError for an invalid definition. */
  evaluate(options: EvaluateOptions = {}): Evaluation {
    this.assertValid();
    return evaluate(this.toJSON(), options);
  }

  // ------------------------------------------------------------------------------------------------------
  // Base

  /** Sets (replaces) the base: an image reference, `"scratch"`, or another Image used as a build stage. */
  fromBase(base: string | Image): Image {
    const location = callerLocation();
    if (Image.isImage(base)) {
      return this.#derive({ base: { from: base }, baseOrigin: origin("fromBase", location) });
    }
    const text = String(base);
    return this.#derive({
      base: text === "scratch" ? "scratch" : { image: text },
      baseOrigin: origin("fromBase", location),
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // RUN

  /**
   * Runs a command while building. A string is one shell command: its lines are folded into one line
   * (indentation, blank lines and trailing `# comments` dropped, `\` continuations honoured), which is what a
   * multi-line command in the Chutes docs means. An array runs as argv without a shell.
   */
  runCommand(command: string | readonly string[], options: RunOptions = {}): Image {
    const location = callerLocation();
    if (typeof command !== "string") {
      return this.#run("runCommand", { form: "exec", argv: [...command].map(String) }, options, location);
    }
    const folded = foldCommandDetailed(command);
    const next = this.#run("runCommand", { form: "shell", lines: folded.pieces }, options, location);
    if (!folded.quoteSpansLines) return next;
    return next.#withCallIssue({
      code: "quote-spans-lines",
      method: "runCommand",
      step: this.#state.entries.length,
      path: ["command"],
      value: command,
      message: "a quoted string spans a line break; runCommand folds lines with spaces, which changes the string. Use runScript for a multi-line script",
      location,
    });
  }

  /** Runs a multi-line script as is, with the current shell (or `interpreter`) and `-c`. */
  runScript(script: string, options: RunScriptOptions = {}): Image {
    const location = callerLocation();
    const { interpreter, ...rest } = options;
    const command: RunCommand = {
      form: "script",
      script: String(script),
      ...(interpreter === undefined ? {} : { interpreter: [...interpreter] }),
    };
    return this.#run("runScript", command, rest, location);
  }

  /**
   * Installs Debian/Ubuntu packages in one layer: `apt-get update`, a non-interactive
   * `apt-get install -y --no-install-recommends`, and removal of the package lists.
   */
  aptInstall(packages: string | readonly string[]): Image {
    const location = callerLocation();
    const names = packageList(packages);
    const lines = [
      "apt-get update &&",
      `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${names.join(" ")} &&`,
      "rm -rf /var/lib/apt/lists/*",
    ];
    return this.#run("aptInstall", { form: "shell", lines }, {}, location).#checkPackages("aptInstall", names, location, this);
  }

  /** Purges Debian/Ubuntu packages and what only they needed, in one layer. */
  aptRemove(packages: string | readonly string[]): Image {
    const location = callerLocation();
    const names = packageList(packages);
    const lines = [
      `DEBIAN_FRONTEND=noninteractive apt-get purge -y --auto-remove ${names.join(" ")} &&`,
      "rm -rf /var/lib/apt/lists/*",
    ];
    return this.#run("aptRemove", { form: "shell", lines }, {}, location).#checkPackages("aptRemove", names, location, this);
  }

  /**
   * Installs Python `version` (`3.11` or `3.11.9`) without compiling it: the base's own `python3.X` if it has
   * one, else its distribution's package (apt or apk), else the step fails with the ways out. `python3` and
   * `python` then point at it. (Distribution packages give the distribution's patch release.)
   */
  withPython(version: string): Image {
    const location = callerLocation();
    const text = String(version);
    const next = this.#run("withPython", { form: "script", script: pythonInstallScript(text) }, {}, location);
    if (parsePythonVersion(text)) return next;
    return next.#withCallIssue({
      code: "invalid-python-version",
      method: "withPython",
      step: this.#state.entries.length,
      path: ["version"],
      value: version,
      message: `Python version ${JSON.stringify(version)} is not valid; give "3.X" or "3.X.Y", e.g. "3.11"`,
      location,
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // Files

  /**
   * Adds files: paths or globs relative to the build context (directories are copied whole), `http(s)://`
   * URLs, or git sources. Local tar archives are extracted, as Docker's ADD does; prefer `copy` otherwise.
   */
  add(src: string | readonly string[], dest: string, options: AddOptions = {}): Image {
    const location = callerLocation();
    const { checksum, keepGitDir, ...copy } = options;
    return this.#push(
      {
        kind: "add",
        sources: sourceList(src),
        dest: String(dest),
        ...copyOptions(copy),
        ...(checksum === undefined ? {} : { checksum }),
        ...(keepGitDir === undefined ? {} : { keepGitDir }),
      },
      origin("add", location),
    );
  }

  /** Copies files from the build context (paths or globs; no URLs, no extraction). */
  copy(src: string | readonly string[], dest: string, options: CopyOptions = {}): Image {
    const location = callerLocation();
    return this.#push(
      { kind: "copy", sources: sourceList(src), dest: String(dest), ...copyOptions(options) },
      origin("copy", location),
    );
  }

  /** Copies paths from another image's file system, built as an earlier stage (multi-stage builds). */
  copyFrom(stage: Image, src: string | readonly string[], dest: string, options: CopyOptions = {}): Image {
    const location = callerLocation();
    const step: Step = { kind: "copyFrom", stage: "", sources: sourceList(src), dest: String(dest), ...copyOptions(options) };
    if (!Image.isImage(stage)) {
      return this.#push(step, origin("copyFrom", location)).#withCallIssue({
        code: "invalid-stage",
        method: "copyFrom",
        step: this.#state.entries.length,
        path: ["stage"],
        value: typeof stage,
        message: "copyFrom takes the Image to copy from as its first argument, e.g. copyFrom(builder, \"/opt/venv\", \"/opt/venv\")",
        location,
      });
    }
    return this.#push(step, origin("copyFrom", location), stage);
  }

  // ------------------------------------------------------------------------------------------------------
  // Configuration

  /** Sets an environment variable. `$VAR` and `${VAR}` in the value expand as in a Dockerfile. */
  withEnv(key: string, value: string | number | boolean, options: ValueOptions = {}): Image {
    const location = callerLocation();
    const text = String(value);
    return this.#push(
      { kind: "env", key: String(key), value: options.literal === true ? escapeLiteral(text) : text },
      origin("withEnv", location),
    );
  }

  /** Sets the working directory; a relative path resolves against the current one. */
  setWorkdir(directory: string): Image {
    return this.#push({ kind: "workdir", path: String(directory) }, origin("setWorkdir", callerLocation()));
  }

  /** Sets the user for later steps and the container: `user`, `user:group`, `uid` or `uid:gid`. */
  setUser(user: string | number): Image {
    return this.#push({ kind: "user", user: String(user) }, origin("setUser", callerLocation()));
  }

  /** Alias of {@link Image.setUser}, as used in the Chutes docs. */
  withUser(user: string | number): Image {
    return this.#push({ kind: "user", user: String(user) }, origin("withUser", callerLocation()));
  }

  /** Sets (replaces) the entrypoint, as argv. Like Docker, it clears a CMD inherited from the base. */
  withEntrypoint(entrypoint: readonly string[]): Image {
    return this.#push({ kind: "entrypoint", argv: argvOf(entrypoint) }, origin("withEntrypoint", callerLocation()));
  }

  /** Sets (replaces) the default command, as argv. */
  withCmd(cmd: readonly string[]): Image {
    return this.#push({ kind: "cmd", argv: argvOf(cmd) }, origin("withCmd", callerLocation()));
  }

  /** Declares a port the container listens on (documentation for the platform; nothing is published). */
  exposePort(port: number, protocol: "tcp" | "udp" = "tcp"): Image {
    return this.#push({ kind: "expose", port: Number(port), protocol }, origin("exposePort", callerLocation()));
  }

  /** Sets a label in the image config. */
  withLabel(key: string, value: string | number | boolean, options: ValueOptions = {}): Image {
    const text = String(value);
    return this.#push(
      { kind: "label", key: String(key), value: options.literal === true ? escapeLiteral(text) : text },
      origin("withLabel", callerLocation()),
    );
  }

  /** Records the maintainer as the `org.opencontainers.image.authors` label (MAINTAINER is deprecated). */
  withMaintainer(maintainer: string): Image {
    return this.#push(
      { kind: "label", key: MAINTAINER_LABEL, value: escapeLiteral(String(maintainer)) },
      origin("withMaintainer", callerLocation()),
    );
  }

  /** Sets a health check (argv run without a shell), or `null` to disable one inherited from the base. */
  withHealthcheck(test: readonly string[] | null, options: HealthcheckOptions = {}): Image {
    const step: Step = {
      kind: "healthcheck",
      test: test === null ? null : argvOf(test),
      ...(options.interval === undefined ? {} : { interval: options.interval }),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.startPeriod === undefined ? {} : { startPeriod: options.startPeriod }),
      ...(options.startInterval === undefined ? {} : { startInterval: options.startInterval }),
      ...(options.retries === undefined ? {} : { retries: options.retries }),
    };
    return this.#push(step, origin("withHealthcheck", callerLocation()));
  }

  /** Declares a build argument, usable as `$NAME` by later steps of this stage (never in the image config). */
  withArg(name: string, defaultValue?: string): Image {
    return this.#push(
      { kind: "arg", name: String(name), ...(defaultValue === undefined ? {} : { default: String(defaultValue) }) },
      origin("withArg", callerLocation()),
    );
  }

  /** Sets the shell that later shell-form commands run with, e.g. `["/bin/bash", "-o", "pipefail", "-c"]`. */
  withShell(shell: readonly string[]): Image {
    return this.#push({ kind: "shell", argv: argvOf(shell) }, origin("withShell", callerLocation()));
  }

  /** Applies a preset or fragment: `image.with(withCuda("12.4"))`. */
  with(transform: ImageTransform): Image {
    const location = callerLocation();
    const result: unknown = typeof transform === "function" ? transform(this) : undefined;
    if (Image.isImage(result)) return result;
    return this.#withCallIssue({
      code: "invalid-transform",
      method: "with",
      path: [],
      value: typeof result,
      message: "the function given to with() must take an Image and return an Image (did it forget to return?)",
      location,
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // Internals

  #derive(changes: Partial<State>): Image {
    pending = { ...this.#state, ...changes };
    const { username, name, tag } = this.#state.ref;
    return new Image(username, name, tag);
  }

  #push(step: Step, stepOrigin: StepOrigin, from?: Image): Image {
    const entry: Entry = from === undefined ? { step, origin: stepOrigin } : { step, origin: stepOrigin, from };
    return this.#derive({ entries: [...this.#state.entries, entry] });
  }

  #run(method: string, command: RunCommand, options: RunOptions, location: SourceLocation | undefined): Image {
    const step: Step = {
      kind: "run",
      command,
      ...(options.mounts === undefined || options.mounts.length === 0 ? {} : { mounts: options.mounts.map((m) => ({ ...m })) }),
      ...(options.network === undefined ? {} : { network: options.network }),
    };
    return this.#push(step, origin(method, location));
  }

  #withCallIssue(issue: Omit<CallIssue, "severity" | "location"> & { readonly location: SourceLocation | undefined }): Image {
    const { location, ...rest } = issue;
    const recorded: CallIssue = { ...rest, severity: "error", ...(location ? { location } : {}) };
    return this.#derive({ callIssues: [...this.#state.callIssues, recorded] });
  }

  #checkPackages(method: string, names: readonly string[], location: SourceLocation | undefined, before: Image): Image {
    const step = before.#state.entries.length;
    if (names.length === 0) {
      return this.#withCallIssue({
        code: "empty-package-list",
        method,
        step,
        path: ["packages"],
        value: names,
        message: `${method} needs at least one package name, e.g. ${method}(["git", "curl"])`,
        location,
      });
    }
    return names
      .filter((name) => !APT_PACKAGE.test(name))
      .reduce<Image>(
        (image, name) =>
          image.#withCallIssue({
            code: "invalid-apt-package",
            method,
            step,
            path: ["packages"],
            value: name,
            message: `${JSON.stringify(name)} is not a Debian package name: lowercase letters, digits, "+", "-" and ".", starting with a letter or digit, optionally with :arch, =version or /release`,
            location,
          }),
        this,
      );
  }

  #flatten(): Flat {
    this.#flat ??= flatten(this);
    return this.#flat;
  }

  static {
    stateOf = (image) => image.#state;
  }
}

// Debian policy: [a-z0-9][a-z0-9+.-]+, plus apt's :arch, =version and /release suffixes.
const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?(?:=[A-Za-z0-9.+~:_-]+|\/[A-Za-z0-9.-]+)?$/;

function origin(method: string, location: SourceLocation | undefined): StepOrigin {
  return location === undefined ? { method } : { method, location };
}

function packageList(packages: string | readonly string[]): string[] {
  const list = typeof packages === "string" ? packages.split(/\s+/) : [...packages].map(String);
  return list.map((name) => name.trim()).filter((name) => name !== "");
}

function sourceList(src: string | readonly string[]): string[] {
  return typeof src === "string" ? [src] : [...src].map(String);
}

/** argv as strings; a plain string (from JavaScript callers) is Docker's shell form, `/bin/sh -c <string>`. */
function argvOf(argv: readonly string[] | string): string[] {
  return typeof argv === "string" ? ["/bin/sh", "-c", argv] : [...argv].map(String);
}

function copyOptions(options: CopyOptions): CopyOptions {
  return {
    ...(options.chown === undefined ? {} : { chown: String(options.chown) }),
    ...(options.chmod === undefined ? {} : { chmod: String(options.chmod) }),
    ...(options.exclude === undefined ? {} : { exclude: [...options.exclude].map(String) }),
  };
}

/** Lays an image and every image it depends on out as stages, dependencies first, with unique ids. */
function flatten(root: Image): Flat {
  const order: Image[] = [];
  const seen = new Set<Image>();
  const visit = (image: Image): void => {
    if (seen.has(image)) return;
    seen.add(image);
    const state = stateOf(image);
    for (const declared of state.declared) visit(declared);
    if (typeof state.base === "object" && "from" in state.base) visit(state.base.from);
    for (const entry of state.entries) if (entry.from) visit(entry.from);
    order.push(image);
  };
  visit(root);

  const ids = new Map<Image, string>();
  const taken = new Set<string>();
  for (const image of order) {
    const state = stateOf(image);
    const wanted = state.stageId ?? stageIdFor(state.ref.name);
    let id = wanted;
    for (let n = 2; taken.has(id); n++) id = `${wanted}-${n}`;
    taken.add(id);
    ids.set(image, id);
  }

  const stages: Stage[] = [];
  const stageOrigins: StageOrigins[] = [];
  for (const image of order) {
    const state = stateOf(image);
    const base: StageBase =
      typeof state.base === "object" && "from" in state.base ? { stage: ids.get(state.base.from) ?? "" } : state.base;
    const steps = state.entries.map((entry): Step =>
      entry.from !== undefined && entry.step.kind === "copyFrom" ? { ...entry.step, stage: ids.get(entry.from) ?? "" } : entry.step,
    );
    stages.push({ id: ids.get(image) ?? "", base, steps });
    stageOrigins.push({
      ...(state.baseOrigin ? { base: state.baseOrigin } : {}),
      steps: state.entries.map((entry) => entry.origin),
    });
  }

  const rootState = stateOf(root);
  const spec: ImageSpec = deepFreeze({
    irVersion: IR_VERSION,
    ref: { ...rootState.ref },
    ...(rootState.readme === undefined ? {} : { readme: rootState.readme }),
    stages,
  });
  return { spec, origins: { ref: rootState.refOrigin, stages: stageOrigins }, images: order };
}

function stageIdFor(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "");
  if (cleaned === "") return "stage";
  return /^[a-z]/.test(cleaned) ? cleaned : `stage-${cleaned}`;
}

/** Rebuilds builder state from a parsed spec: one Image per stage, linked by their references. */
function imageFromSpec(spec: ImageSpec): Image {
  const byId = new Map<string, Image>();
  const built: Image[] = [];
  spec.stages.forEach((stage, index) => {
    const last = index === spec.stages.length - 1;
    const baseStage = typeof stage.base === "object" && "stage" in stage.base ? byId.get(stage.base.stage) : undefined;
    const base: Base = baseStage === undefined ? stage.base : { from: baseStage };
    const entries: Entry[] = stage.steps.map((step) => {
      const from = step.kind === "copyFrom" ? byId.get(step.stage) : undefined;
      return from === undefined ? { step, origin: { method: "fromJSON" } } : { step, origin: { method: "fromJSON" }, from };
    });
    pending = {
      ref: last ? spec.ref : { username: spec.ref.username, name: stage.id, tag: "latest" },
      readme: last ? spec.readme : undefined,
      refOrigin: { method: "fromJSON" },
      base,
      baseOrigin: { method: "fromJSON" },
      entries,
      callIssues: [],
      stageId: stage.id,
      declared: last ? [...built] : [],
    };
    const image = new Image("", "");
    built.push(image);
    if (!byId.has(stage.id)) byId.set(stage.id, image);
  });
  const last = built.at(-1);
  // The schema guarantees at least one stage.
  if (last === undefined) throw new Error("unreachable: a parsed spec has at least one stage");
  return last;
}
