// collectContext: the build context as a manifest, exactly what Docker would send, and nothing more.

import { createHash } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { dirname, basename, join, resolve } from "node:path";
import { classifySource, evaluate } from "@chutes/image-core";
import type { ImageSpec } from "@chutes/image-core";
import type { ContextStep, DirState } from "./decide.ts";
import { Decider } from "./decide.ts";
import { dockerTransportProblem, parseDockerignore } from "./dockerignore.ts";
import type { IgnoreRule } from "./dockerignore.ts";
import { ContextError } from "./errors.ts";
import { cooperate } from "./cooperate.ts";
import { readContextFile } from "./read.ts";
import { resolveInside } from "./sources.ts";
import type { ContextWarning, WalkEntry } from "./walk.ts";
import { comparePaths, errorCode, fsError, resolveRoot, walkTree } from "./walk.ts";

/** Anything that can give the image IR: an `Image` (from any copy of `@chutes/image-core`) or the IR itself. */
export type ImageInput = ImageSpec | { toJSON(): ImageSpec };

export interface CollectOptions {
  /** The context directory. */
  readonly root: string;
  /**
   * The image whose `add`/`copy` steps decide the context: only what they reference is in it (the Chutes
   * way: nothing else is uploaded). Without it, the whole root minus `.dockerignore` (what `docker build .`
   * sends).
   */
  readonly image?: ImageInput;
  /** Values for the image's `arg` steps, used to expand `${VAR}` in sources (like `--build-arg`). */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /**
   * The Dockerfile's path (relative paths resolve against `root`). When `<dockerfile>.dockerignore` exists it
   * replaces the root's `.dockerignore` (BuildKit's rule).
   */
  readonly dockerfile?: string;
  /** An ignore file to use instead of the lookup above (relative paths resolve against `root`); `false`: none. */
  readonly ignoreFile?: string | false;
  /** Compute every file's sha256 now (streaming); otherwise `hashEntry` computes one on demand. */
  readonly hash?: boolean;
  readonly signal?: AbortSignal;
}

/** One entry of the context. */
export interface ContextEntry extends WalkEntry {
  /** `sha256:<hex>` of a file's contents, when collected with `hash: true`. */
  readonly digest?: string;
}

/** The `.dockerignore` that applied. */
export interface IgnoreSource {
  /** Absolute path of the ignore file read; absent when there was none. */
  readonly file?: string;
  readonly rules: readonly IgnoreRule[];
}

/** The build context: sorted entries and how they were chosen. */
export interface ContextManifest {
  /** The context root, absolute, symlinks resolved. */
  readonly root: string;
  /**
   * In Go `filepath.Walk` order: parents first, siblings byte-wise by name (see `comparePaths`); directories
   * appear when they are kept, or when something below them is.
   */
  readonly entries: readonly ContextEntry[];
  readonly warnings: readonly ContextWarning[];
  readonly ignore: IgnoreSource;
  /** The image's `add`/`copy` steps with local sources; absent when the whole root is the context. */
  readonly steps?: readonly ContextStep[];
}

/**
 * Computes the build context of `root`: walks it (never following symlinks, never leaving it), applies the
 * `.dockerignore` with current Docker's semantics and, with an `image`, keeps only what its `add`/`copy`
 * steps reference minus each step's `exclude`. Throws `ContextError`: `outside-context` for a source that
 * escapes the root (naming the step), `invalid-dockerignore`, `unreadable`, `not-found`, `not-a-directory`.
 */
export async function collectContext(options: CollectOptions): Promise<ContextManifest> {
  const root = await resolveRoot(options.root);
  const ignore = await readIgnore(root, options);
  let steps = options.image === undefined ? undefined : contextSteps(options.image, options.buildArgs);
  const notes = ignoreWarnings(ignore);
  let warnings = [...notes];
  let decider = await Decider.create(root, ignore.rules, steps, warnings);
  let entries = await walkWith(root, decider, warnings, options.signal);

  // COPY follows a symlink that a glob matched: add what it points to (inside the root) and walk again.
  if (steps !== undefined && decider.followed.length > 0) {
    const followed = new Map<ContextStep, Set<string>>();
    const dangling: ContextWarning[] = [];
    for (const { origin, path } of decider.followed) {
      const { target } = await resolveInside(root, path, origin);
      const step = steps.find((candidate) => candidate.stage === origin.stage && candidate.step === origin.step);
      if (step === undefined) continue;
      if (target === undefined) {
        dangling.push({
          code: "source-not-found",
          path,
          step: origin.step,
          stage: origin.stage,
          message: `step ${origin.step} of stage ${JSON.stringify(origin.stage)}: the source ${JSON.stringify(origin.source)} matches the symlink ${path}, which points to nothing`,
        });
        continue;
      }
      followed.set(step, (followed.get(step) ?? new Set()).add(target));
    }
    if (followed.size > 0) {
      steps = steps.map((step) => {
        const targets = followed.get(step);
        return targets === undefined ? step : { ...step, followed: [...targets].sort(comparePaths) };
      });
      warnings = [...notes];
      decider = await Decider.create(root, ignore.rules, steps, warnings);
      entries = await walkWith(root, decider, warnings, options.signal);
    }
    warnings.push(...dangling);
  }

  if (steps !== undefined) warnUnmatched(steps, decider, warnings);
  const hashed = options.hash === true ? await hashAll(root, entries) : entries;
  const manifest: ContextManifest = { root, entries: hashed, warnings, ignore };
  return steps === undefined ? manifest : { ...manifest, steps };
}

/** Warnings about the ignore file itself. */
function ignoreWarnings(ignore: IgnoreSource): ContextWarning[] {
  const problem = dockerTransportProblem(ignore.rules);
  if (problem === undefined) return [];
  return [
    {
      code: "engine-would-fail",
      path: ignore.file ?? ".dockerignore",
      message: `line ${problem.line} of the ignore file holds an ASCII control character: Docker 26 (BuildKit 0.13) fails such a build ("contains value with non-printable ASCII characters"); remove it`,
    },
  ];
}

async function walkWith(root: string, decider: Decider, warnings: ContextWarning[], signal: AbortSignal | undefined): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  const walk = walkTree<DirState>(root, {
    decide: (path, type, parent) => decider.decide(path, type, parent),
    onWarning: (warning) => warnings.push(warning),
    ...(signal === undefined ? {} : { signal }),
  });
  const privileged = process.geteuid?.() === 0;
  for await (const entry of walk) {
    if (entry.type === "file" && !privileged && (entry.mode & 0o444) !== 0o444) await checkReadable(join(root, entry.path), entry.path);
    entries.push(entry);
  }
  return entries;
}

/** Warns about sources that exist but whose matches `.dockerignore` removed (or globs that match nothing). */
function warnUnmatched(steps: readonly ContextStep[], decider: Decider, warnings: ContextWarning[]): void {
  for (const [index, step] of steps.entries()) {
    for (const source of step.sources) {
      const key = `${index}:${source}`;
      if (decider.matched.has(key) || decider.missing.has(key)) continue;
      warnings.push({
        code: "source-ignored",
        path: source,
        step: step.step,
        stage: step.stage,
        message: `step ${step.step} of stage ${JSON.stringify(step.stage)}: the source ${JSON.stringify(source)} matches nothing in the context (is it excluded by .dockerignore?)`,
      });
    }
  }
}

/**
 * The `add`/`copy` steps of an image that read the context, with variables expanded. `copyFrom` steps read
 * another stage and URL or git sources are fetched by the builder; neither is part of the context.
 */
export function contextSteps(image: ImageInput, buildArgs?: Readonly<Record<string, string>>): ContextStep[] {
  const spec: ImageSpec = "toJSON" in image && typeof image.toJSON === "function" ? image.toJSON() : (image as ImageSpec);
  const evaluation = evaluate(spec, buildArgs === undefined ? {} : { buildArgs });
  const steps: ContextStep[] = [];
  for (const stage of evaluation.stages) {
    for (const { index, step } of stage.steps) {
      if (step.kind !== "add" && step.kind !== "copy") continue;
      const sources = step.sources.filter((source) => classifySource(source) === "local");
      if (sources.length === 0) continue;
      steps.push({ stage: stage.id, step: index, kind: step.kind, sources, exclude: step.exclude ?? [] });
    }
  }
  return steps;
}

/**
 * Finds and parses the ignore file: `ignoreFile` when given; else `<dockerfile>.dockerignore` when a
 * Dockerfile is given and that file exists; else `<root>/.dockerignore`.
 */
async function readIgnore(root: string, options: CollectOptions): Promise<IgnoreSource> {
  if (options.ignoreFile === false) return { rules: [] };
  const candidates: string[] = [];
  if (options.ignoreFile !== undefined) {
    candidates.push(resolve(root, options.ignoreFile));
  } else {
    if (options.dockerfile !== undefined) {
      const dockerfile = resolve(root, options.dockerfile);
      candidates.push(join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`));
    }
    candidates.push(join(root, ".dockerignore"));
  }
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = errorCode(error);
      const explicit = options.ignoreFile !== undefined;
      if ((code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") && !explicit) continue;
      throw fsError(error, file, "the ignore file");
    }
    return { file, rules: parseDockerignore(text, file) };
  }
  return { rules: [] };
}

/**
 * Confirms that a file the mode bits suggest we may not read can be read, by opening and closing it (`access(2)`
 * would check the real user, not the effective one; ACLs and group membership count this way).
 */
async function checkReadable(absolute: string, path: string): Promise<void> {
  try {
    const handle = await open(absolute, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
    await handle.close();
  } catch (error) {
    if (errorCode(error) === "ENOENT") return;
    throw fsError(error, path, "the file");
  }
}

async function hashAll(root: string, entries: readonly ContextEntry[]): Promise<ContextEntry[]> {
  const out: ContextEntry[] = [];
  for (const entry of entries) out.push(entry.type === "file" ? { ...entry, digest: await hashFile(root, entry) } : entry);
  return out;
}

/**
 * The `sha256:<hex>` of a file entry's contents, streamed (never the whole file in memory); the digest
 * recorded by `hash: true` when there is one. Throws `ContextError` `unreadable` if the file cannot be read or
 * changed size since it was collected; `invalid-option` for an entry that is not a file.
 */
export async function hashEntry(manifest: Pick<ContextManifest, "root">, entry: ContextEntry): Promise<string> {
  if (entry.type !== "file") {
    throw new ContextError("invalid-option", `${entry.path} is a ${entry.type === "dir" ? "directory" : "symlink"}; only files have a content hash`, { path: entry.path });
  }
  return entry.digest ?? (await hashFile(manifest.root, entry));
}

async function hashFile(root: string, entry: WalkEntry): Promise<string> {
  const hash = createHash("sha256");
  for (const chunk of readContextFile(root, entry)) {
    hash.update(chunk);
    await cooperate();
  }
  return `sha256:${hash.digest("hex")}`;
}
