// marshalLLB: an image's IR as one LLB definition, built directly on BuildKit (DESIGN.md sections 5 and 7). The
// evaluator gives every step its environment, directory, user and shell, with the base images' configs resolved
// beforehand (`resolveBaseConfigs`); each step becomes the op BuildKit's Dockerfile frontend would make for the
// equivalent instruction, so both back ends build the same image. Pure and deterministic: the same spec, base
// configs and options give the same bytes and digests, every run, on every machine.

import { createHash } from "node:crypto";
import { assertNever, classifySource, evaluate } from "@chutes/image-core";
import type { AddStep, CopyFromStep, CopyStep, EvaluatedStep, ImageSpec, Mount, RunCommand, Stage, StepState } from "@chutes/image-core";
import type { LLBDefinition, Platform } from "../control-types.ts";
import { CapSet } from "./caps.ts";
import { collectDefinition } from "./definition.ts";
import { stepLine } from "./describe.ts";
import { LLBError } from "./errors.ts";
import type { BaseImage, ImageConfigFile, ImageHistoryEntry } from "./image-config.ts";
import { HISTORY_COMMENT, composeImageConfig, evaluatorBaseConfig, scratchConfig } from "./image-config.ts";
import { DEFAULT_CONTEXT_NAME, excludeLocalName, readsFilteredContext } from "./locals.ts";
import type { ExecMount, FileActionSpec, FsState, NetworkMode, Owner, UserRef, Vertex } from "./ops.ts";
import { execOp, fileOp, gitSource, httpSource, imageSource, localSource } from "./ops.ts";
import { cleanPath, compareBytes, goJson, joinPath, rootedPath } from "./paths.ts";
import { normalizeImageName } from "./reference.ts";

/** The network of RUN steps that do not choose one (`network: "default"`): like `force-network-mode`. */
export type LLBNetwork = "default" | "none" | "host";

export interface MarshalOptions {
  /** Each base image's config, by the reference as the spec writes it (`resolveBaseConfigs` gives this map). */
  readonly baseConfigs: Readonly<Record<string, BaseImage>>;
  /** The target platform, written on every op (except local, http and git sources). */
  readonly platform: Platform;
  /** The FileSync name of the build context. Default `context`. */
  readonly contextName?: string;
  /** Values of the image's `arg` steps. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The network of RUN steps with the default network. Default `default` (the engine's sandbox network). */
  readonly network?: LLBNetwork;
  /**
   * The engine's LLB caps (`LLBBridge.Ping`). Default: BuildKit 0.8's. A step that needs a cap missing from this
   * list fails with `LLBError` `unsupported-feature` before anything is sent.
   */
  readonly caps?: Iterable<string>;
  /** Build every op again, ignoring the cache (`OpMetadata.ignore_cache`, like `--no-cache`). */
  readonly ignoreCache?: boolean;
  /**
   * The session that serves the context (`local.session` on every `local://` source), as Docker's frontend sets it.
   * Without it two builds running at once whose steps read the same paths marshal the same local source, and the
   * engine, which merges equal vertices across builds, can give one build the other's files. `build()` always sets
   * it; leave it out only to compare digests (goldens).
   */
  readonly sessionId?: string;
}

/** A step in IR coordinates. */
export interface StepRef {
  readonly stage: string;
  readonly step: number;
}

export interface MarshaledImage {
  /** The graph, ready for `Control.Solve` or `LLBBridge.Solve` (no ops when the image is empty scratch). */
  readonly definition: LLBDefinition;
  /** The digest of every op of `definition.def`, in order; the terminal op last. */
  readonly digests: readonly string[];
  /** The image config for the exporter (`containerimage.config`): base config merged, one history entry per step. */
  readonly config: ImageConfigFile;
  /** Op digest -> the step that made the op (base image sources are no step). */
  readonly steps: Readonly<Record<string, StepRef>>;
  /** Entitlements the solve needs (`network.host`). */
  readonly entitlements: readonly string[];
  /** The FileSync names the definition reads (`context`, and `context:<stage>:<step>` for steps with `exclude`). */
  readonly locals: readonly string[];
}

/** What a stage has built so far. */
interface StageResult {
  readonly fs: FsState;
  /** The config the chain of stages starts from. */
  readonly base: ImageConfigFile;
  readonly history: readonly ImageHistoryEntry[];
  readonly argsEscaped: boolean;
}

/** Everything a step's translation needs. */
interface Context {
  readonly spec: ImageSpec;
  readonly stage: Stage;
  readonly stageIndex: number;
  readonly platform: Platform;
  readonly contextName: string;
  readonly sessionId: string | undefined;
  readonly network: LLBNetwork;
  readonly caps: CapSet;
  readonly results: ReadonlyMap<string, StageResult>;
  readonly steps: Map<string, StepRef>;
  readonly localNames: Map<string, string>;
  readonly entitlements: Set<string>;
}

/**
 * Marshals `spec` to LLB. Throws `LLBError` (`missing-base-config`, `invalid-reference`, `unsupported-feature`,
 * `unsupported-base`, `invalid-step`) and the evaluator's errors (`ChutesError` `unknown-stage`,
 * `invalid-duration`, `ExpansionError`).
 */
export function marshalLLB(spec: ImageSpec, options: MarshalOptions): MarshaledImage {
  if (spec.stages.length === 0) throw new LLBError("invalid-step", "the spec has no stage; an image needs at least one (its base)");
  const caps = new CapSet(options.caps);
  const contextName = options.contextName ?? DEFAULT_CONTEXT_NAME;
  const bases = resolveBases(spec, options);
  const evaluation = evaluate(spec, {
    baseConfig: (image) => evaluatorBaseConfig(bases.get(image)?.base.config.config),
    ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
  });

  const results = new Map<string, StageResult>();
  const steps = new Map<string, StepRef>();
  const localNames = new Map<string, string>();
  const entitlements = new Set<string>();
  spec.stages.forEach((stage, stageIndex) => {
    const evaluated = evaluation.stages[stageIndex];
    if (evaluated === undefined) throw new Error("unreachable: the evaluator returns one evaluation per stage");
    const context: Context = {
      spec,
      stage,
      stageIndex,
      platform: options.platform,
      contextName,
      sessionId: options.sessionId,
      network: options.network ?? "default",
      caps,
      results,
      steps,
      localNames,
      entitlements,
    };
    let result = startStage(stage, bases, results, options.platform);
    for (const step of evaluated.steps) result = applyStep(context, result, step);
    results.set(stage.id, result);
  });

  const last = spec.stages.at(-1);
  const final = last === undefined ? undefined : results.get(last.id);
  if (final === undefined) throw new Error("unreachable: the last stage has a result");
  const collected = collectDefinition(final.fs, { ignoreCache: options.ignoreCache === true });
  const reachable = new Set(collected.digests);
  const stepsOut: Record<string, StepRef> = {};
  for (const digest of collected.digests) {
    const ref = steps.get(digest);
    if (ref !== undefined) stepsOut[digest] = ref;
  }
  const locals = [...new Set([...localNames].filter(([digest]) => reachable.has(digest)).map(([, name]) => name))].sort(compareBytes);
  const config = composeImageConfig({
    base: final.base,
    evaluated: evaluation.config,
    history: final.history,
    argsEscaped: final.argsEscaped,
  });
  return {
    definition: collected.definition,
    digests: collected.digests,
    config,
    steps: stepsOut,
    entitlements: [...entitlements].sort(compareBytes),
    locals,
  };
}

// ---------------------------------------------------------------------------------------------------- bases

interface ResolvedBase {
  readonly reference: string;
  readonly base: BaseImage;
}

function resolveBases(spec: ImageSpec, options: MarshalOptions): Map<string, ResolvedBase> {
  const bases = new Map<string, ResolvedBase>();
  for (const stage of spec.stages) {
    const base = stage.base;
    if (base === "scratch" || !("image" in base) || bases.has(base.image)) continue;
    const normalized = normalizeImageName(base.image);
    const resolved = Object.hasOwn(options.baseConfigs, base.image) ? options.baseConfigs[base.image] : undefined;
    if (resolved === undefined) {
      throw new LLBError(
        "missing-base-config",
        `stage "${stage.id}": no config for base image "${base.image}"; resolve it from the engine first (resolveBaseConfigs)`,
        { stage: stage.id },
      );
    }
    const onBuild = resolved.config.config.OnBuild ?? [];
    if (onBuild.length > 0) {
      throw new LLBError(
        "unsupported-base",
        `stage "${stage.id}": base image "${base.image}" has ONBUILD triggers (${onBuild.join("; ")}), which the LLB back end does not run; build with the Dockerfile frontend`,
        { stage: stage.id },
      );
    }
    // A registry digest pins the source (Docker's frontend does the same): the build is what was resolved.
    const digest = resolved.digest ?? "";
    const reference = digest !== "" && normalized.digest === undefined ? `${normalized.reference}@${digest}` : normalized.reference;
    bases.set(base.image, { reference, base: resolved });
  }
  return bases;
}

function startStage(stage: Stage, bases: ReadonlyMap<string, ResolvedBase>, results: ReadonlyMap<string, StageResult>, platform: Platform): StageResult {
  const base = stage.base;
  if (base === "scratch") return { fs: undefined, base: scratchConfig(platform), history: [], argsEscaped: false };
  if ("stage" in base) {
    const parent = results.get(base.stage);
    // The evaluator has already refused a stage based on a stage that is not defined before it.
    if (parent === undefined) throw new LLBError("invalid-step", `stage "${stage.id}" is based on unknown stage "${base.stage}"`, { stage: stage.id });
    return parent;
  }
  const resolved = bases.get(base.image);
  if (resolved === undefined) throw new Error(`unreachable: base "${base.image}" was resolved`);
  const vertex = imageSource(resolved.reference, platform, `[internal] load ${resolved.reference}`);
  return {
    fs: { vertex, index: 0 },
    base: resolved.base.config,
    history: [...(resolved.base.config.history ?? [])],
    argsEscaped: resolved.base.config.config.ArgsEscaped === true,
  };
}

// ---------------------------------------------------------------------------------------------------- steps

function where(context: Context, index: number, kind: string): { stage: string; step: number; kind: string } {
  return { stage: context.stage.id, step: index, kind };
}

function fail(context: Context, index: number, kind: string, message: string): never {
  throw new LLBError("invalid-step", `stage "${context.stage.id}", step ${index} (${kind}): ${message}`, { stage: context.stage.id, step: index });
}

/** `[stage 3/7] RUN …` as in a Dockerfile build's progress (the base counts as step 1). */
function progressName(context: Context, index: number, line: string): string {
  const total = context.stage.steps.length + 1;
  const prefix = context.spec.stages.length > 1 ? `${context.stage.id} ` : "";
  return `[${prefix}${index + 2}/${total}] ${line}`;
}

function record(context: Context, vertex: Vertex, index: number): Vertex {
  if (!context.steps.has(vertex.digest)) context.steps.set(vertex.digest, { stage: context.stage.id, step: index });
  return vertex;
}

function layerEntry(line: string): ImageHistoryEntry {
  return { created_by: line, comment: HISTORY_COMMENT };
}

function configEntry(line: string): ImageHistoryEntry {
  return { created_by: line, comment: HISTORY_COMMENT, empty_layer: true };
}

function applyStep(context: Context, result: StageResult, evaluated: EvaluatedStep): StageResult {
  const { step, state, index } = evaluated;
  const raw = context.stage.steps[index] ?? step;
  switch (step.kind) {
    case "run": {
      const args = runArgs(step.command, state.shell);
      if (args.length === 0 || args[0] === "") fail(context, index, "run", "the command is empty; give a command to run");
      const vertex = runOp(context, result.fs, index, step.mounts ?? [], step.network, args, state, progressName(context, index, stepLine(step)));
      return { ...result, fs: { vertex: record(context, vertex, index), index: 0 }, history: [...result.history, layerEntry(stepLine(step, args))] };
    }
    case "add":
    case "copy":
    case "copyFrom": {
      const vertex = copyOp(context, result.fs, index, step, readsFilteredContext(raw), progressName(context, index, stepLine(step)));
      return { ...result, fs: { vertex: record(context, vertex, index), index: 0 }, history: [...result.history, layerEntry(stepLine(step))] };
    }
    case "workdir": {
      const path = cleanPath(step.path);
      if (path === "/") return { ...result, history: [...result.history, configEntry(stepLine(step))] };
      // As Docker's frontend: create the directory (and its parents), owned by the config's user when one is set.
      const owner = state.user === "" ? undefined : parseChown(state.user);
      const vertex = fileOp(
        result.fs,
        [{ type: "mkdir", path, mode: 0o755, makeParents: true, ...(owner === undefined ? {} : { owner }) }],
        context.platform,
        progressName(context, index, stepLine(step)),
      );
      return { ...result, fs: { vertex: record(context, vertex, index), index: 0 }, history: [...result.history, layerEntry(stepLine(step))] };
    }
    case "cmd":
      return { ...result, argsEscaped: true, history: [...result.history, configEntry(stepLine(step))] };
    case "env":
    case "user":
    case "entrypoint":
    case "label":
    case "expose":
    case "healthcheck":
    case "arg":
    case "shell":
      return { ...result, history: [...result.history, configEntry(stepLine(step))] };
    default:
      return assertNever(step, "step");
  }
}

/** What a run step executes: shell lines under the shell, argv as is, a script after `-c`. */
export function runArgs(command: RunCommand, shell: readonly string[]): string[] {
  switch (command.form) {
    case "shell":
      return [...shell, command.lines.join(" ")];
    case "exec":
      return [...command.argv];
    case "script":
      return command.interpreter === undefined ? [...shell, command.script] : [...command.interpreter, "-c", command.script];
    default:
      return assertNever(command, "run command");
  }
}

function runOp(
  context: Context,
  root: FsState,
  index: number,
  mounts: readonly Mount[],
  stepNetwork: string | undefined,
  args: readonly string[],
  state: StepState,
  name: string,
): Vertex {
  const execMounts = mounts.map((mount) => execMount(context, index, mount, state.workdir));
  const chosen = stepNetwork === undefined || stepNetwork === "default" ? context.network : stepNetwork;
  const network: NetworkMode = chosen === "host" ? "host" : chosen === "none" ? "none" : "sandbox";
  if (network === "host") context.entitlements.add("network.host");
  return execOp({
    root,
    args,
    env: state.runEnv.map(([key, value]) => `${key}=${value}`),
    cwd: state.workdir,
    user: state.user,
    mounts: execMounts,
    network,
    platform: context.platform,
    name,
  });
}

function parseOctal(context: Context, index: number, kind: string, field: string, text: string): number {
  if (!/^[0-7]{1,4}$/.test(text)) fail(context, index, kind, `${field} "${text}" is not an octal mode such as 755 or 0644`);
  return Number.parseInt(text, 8);
}

function mountTarget(context: Context, index: number, target: string, workdir: string): string {
  const clean = cleanPath(target);
  const dest = clean.startsWith("/") ? target : joinPath("/", workdir, target);
  if (cleanPath(dest) === "/") fail(context, index, "run", `mount target "${target}" is the root; mount somewhere below it`);
  return dest;
}

function execMount(context: Context, index: number, mount: Mount, workdir: string): ExecMount {
  switch (mount.type) {
    case "cache": {
      const dest = mountTarget(context, index, mount.target, workdir);
      // Docker's frontend: the id is "/" + (id or the cleaned target), in the empty cache namespace.
      const id = `/${mount.id ?? cleanPath(mount.target)}`;
      const seeded = mount.uid !== undefined || mount.gid !== undefined || mount.mode !== undefined;
      let source: FsState;
      if (seeded) {
        const mode = mount.mode === undefined ? 0o755 : parseOctal(context, index, "run", "cache mode", mount.mode);
        const vertex = fileOp(
          undefined,
          [{ type: "mkdir", path: "/cache", mode: mode & 0o777, makeParents: false, owner: { user: { id: mount.uid ?? 0 }, group: { id: mount.gid ?? 0 } } }],
          context.platform,
          "[internal] settings cache mount permissions",
        );
        source = { vertex: record(context, vertex, index), index: 0 };
      }
      return {
        type: "cache",
        dest,
        id,
        sharing: mount.sharing ?? "shared",
        readonly: mount.readonly === true,
        ...(source === undefined ? {} : { source, selector: "/cache" }),
      };
    }
    case "secret": {
      const base = mount.id.split("/").filter((part) => part !== "").at(-1) ?? mount.id;
      // dockerfile2llb: a secret with `env` gets a file only when it names a target.
      const dest = mount.target ?? (mount.env === undefined ? `/run/secrets/${base}` : undefined);
      if (mount.env !== undefined) context.caps.require("exec.secretenv", where(context, index, "run"));
      return {
        type: "secret",
        ...(dest === undefined ? {} : { dest }),
        ...(mount.env === undefined ? {} : { env: mount.env }),
        id: mount.id,
        uid: mount.uid ?? 0,
        gid: mount.gid ?? 0,
        mode: mount.mode === undefined ? 0o400 : parseOctal(context, index, "run", "secret mode", mount.mode),
        optional: mount.required !== true,
      };
    }
    case "tmpfs": {
      if (mount.size !== undefined) context.caps.require("exec.mount.tmpfs.size", where(context, index, "run"));
      return { type: "tmpfs", dest: mountTarget(context, index, mount.target, workdir), ...(mount.size === undefined ? {} : { size: mount.size }) };
    }
    default:
      return assertNever(mount, "mount");
  }
}

/** A chown value as Go's `llb.WithUser` reads it: `user[:group]`, each a number (or `root`) or a name. */
export function parseChown(chown: string): Owner {
  const colon = chown.indexOf(":");
  const user = colon === -1 ? chown : chown.slice(0, colon);
  const group = colon === -1 ? undefined : chown.slice(colon + 1);
  return { user: userRef(user), ...(group === undefined ? {} : { group: userRef(group) }) };
}

function userRef(text: string): UserRef {
  if (text === "root" || text === "") return { id: 0 };
  if (/^[+-]?\d+$/.test(text)) {
    const value = Number(text);
    if (value >= -2147483648 && value <= 2147483647) return { id: value >>> 0 };
  }
  return { name: text };
}

/** Context paths a step copies, as include patterns: relative, clean, sorted; `undefined` for the whole context. */
function includePatterns(sources: readonly string[]): string[] | undefined {
  const paths = sources.map((source) => {
    const clean = cleanPath(source);
    const relative = clean.replace(/^\/+/, "");
    return relative === "" ? "." : relative;
  });
  if (paths.includes(".")) return undefined;
  return [...new Set(paths)].sort(compareBytes);
}

function contextSource(context: Context, index: number, sources: readonly string[], filtered: boolean): Vertex {
  const localName = filtered ? excludeLocalName(context.contextName, context.stage.id, index) : context.contextName;
  const patterns = includePatterns(sources);
  const attrs: Record<string, string> = {};
  if (patterns !== undefined) {
    attrs["local.includepattern"] = goJson(patterns);
    attrs["local.followpaths"] = goJson(patterns);
  }
  // One incremental snapshot per set of paths on the engine: steps reading different paths do not evict each other.
  const hint = patterns === undefined ? localName : `${localName}:${createHash("sha256").update(goJson(patterns)).digest("hex").slice(0, 16)}`;
  attrs["local.sharedkeyhint"] = hint;
  if (context.sessionId !== undefined) attrs["local.session"] = context.sessionId;
  const vertex = localSource(localName, attrs, `[internal] load build context ${localName}`);
  context.localNames.set(vertex.digest, localName);
  return record(context, vertex, index);
}

/** `http.filename` as Docker's frontend picks it: the URL path's last element, else `__unnamed__`. */
export function urlFilename(url: string): string {
  let pathname: string;
  try {
    // Go's url.Parse decodes the path, and fails (no name) on a bad escape.
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return "__unnamed__";
  }
  const clean = cleanPath(pathname);
  const base = clean.split("/").at(-1) ?? "";
  return base === "" || base === "." ? "__unnamed__" : base;
}

/** A git source as Go's `llb.Git` makes it: identifier without scheme, `git.fullurl`, auth secret names. */
function gitVertex(context: Context, index: number, source: string, keepGitDir: boolean, name: string): Vertex {
  const hash = source.indexOf("#");
  const url = hash === -1 ? source : source.slice(0, hash);
  const ref = hash === -1 ? "" : source.slice(hash + 1);
  if (ref.includes(":")) context.caps.require("source.git.subdir", where(context, index, "add"));
  let remote = url;
  let fullUrl = url;
  let ssh = false;
  const scheme = /^(https?|git|ssh):\/\//.exec(url);
  if (scheme !== null) {
    remote = url.slice(scheme[0].length);
    ssh = scheme[1] === "ssh";
  } else if (/^[^/:@]+@[^:]+:/.test(url)) {
    ssh = true;
    const colon = url.indexOf(":");
    remote = `${url.slice(0, colon)}/${url.slice(colon + 1)}`;
  } else {
    fullUrl = `https://${url}`;
  }
  const attrs: Record<string, string> = {
    "git.authheadersecret": "GIT_AUTH_HEADER",
    "git.authtokensecret": "GIT_AUTH_TOKEN",
    "git.fullurl": fullUrl,
  };
  const caps = ["source.git.fullurl"];
  if (keepGitDir) {
    attrs["git.keepgitdir"] = "true";
    caps.push("source.git.keepgitdir");
  }
  if (ssh) {
    attrs["git.mountsshsock"] = "default";
    caps.push("source.git.knownsshhosts", "source.git.mountsshsock");
  }
  return record(context, gitSource(ref === "" ? remote : `${remote}#${ref}`, attrs, caps, name), index);
}

function copyOp(context: Context, base: FsState, index: number, step: AddStep | CopyStep | CopyFromStep, filtered: boolean, name: string): Vertex {
  const kind = step.kind;
  if (step.sources.length === 0) fail(context, index, kind, "a copy needs at least one source");
  const owner = step.chown === undefined ? undefined : parseChown(step.chown);
  const mode = step.chmod === undefined ? undefined : parseOctal(context, index, kind, "chmod", step.chmod);
  const common = { dest: step.dest, ...(owner === undefined ? {} : { owner }), ...(mode === undefined ? {} : { mode }) };
  const actions: FileActionSpec[] = [];

  if (kind === "copyFrom") {
    const from = context.results.get(step.stage);
    if (from === undefined) fail(context, index, kind, `stage "${step.stage}" is not defined before this one`);
    const exclude = step.exclude ?? [];
    if (exclude.length > 0) context.caps.require("file.copy.includeexcludepatterns", where(context, index, kind));
    for (const source of step.sources) {
      actions.push({
        type: "copy",
        source: from.fs,
        src: rootedPath(source),
        ...common,
        followSymlink: true,
        dirCopyContents: true,
        attemptUnpack: false,
        createDestPath: true,
        allowWildcard: true,
        allowEmptyWildcard: false,
        ...(exclude.length === 0 ? {} : { excludePatterns: exclude }),
      });
    }
    return fileOp(base, actions, context.platform, name);
  }

  const local = step.sources.filter((source) => classifySource(source) === "local");
  let localVertex: Vertex | undefined;
  for (const source of step.sources) {
    const sourceKind = classifySource(source);
    if (sourceKind === "local") {
      localVertex ??= contextSource(context, index, local, filtered);
      actions.push({
        type: "copy",
        source: { vertex: localVertex, index: 0 },
        src: rootedPath(source),
        ...common,
        followSymlink: true,
        dirCopyContents: true,
        attemptUnpack: kind === "add",
        createDestPath: true,
        allowWildcard: true,
        allowEmptyWildcard: false,
      });
      continue;
    }
    if (kind !== "add") fail(context, index, kind, `source "${source}" is a ${sourceKind === "url" ? "URL" : "git repository"}; only add fetches those`);
    if (sourceKind === "url") {
      const filename = urlFilename(source);
      const checksum = step.checksum;
      const vertex = record(context, httpSource(source, { filename, ...(checksum === undefined ? {} : { checksum }) }, name), index);
      actions.push({
        type: "copy",
        source: { vertex, index: 0 },
        src: `/${filename}`,
        ...common,
        followSymlink: false,
        dirCopyContents: false,
        attemptUnpack: false,
        createDestPath: true,
        allowWildcard: false,
        allowEmptyWildcard: false,
      });
    } else {
      const vertex = gitVertex(context, index, source, step.keepGitDir === true, name);
      actions.push({
        type: "copy",
        source: { vertex, index: 0 },
        src: "/",
        ...common,
        followSymlink: false,
        dirCopyContents: false,
        attemptUnpack: false,
        createDestPath: true,
        allowWildcard: false,
        allowEmptyWildcard: false,
      });
    }
  }
  return fileOp(base, actions, context.platform, name);
}

