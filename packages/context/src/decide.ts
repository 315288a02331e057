// The decision for one path of the context: what `.dockerignore` says, which `add`/`copy` step references it,
// and whether that step's `exclude` drops it. `collectContext` runs it for every entry of the walk and
// `explainContext` for one path and its ancestors, so both always agree.

import type { IgnoreRule } from "./dockerignore.ts";
import { parseDockerignore } from "./dockerignore.ts";
import { ContextError } from "./errors.ts";
import { IgnoreMatcher } from "./matcher.ts";
import type { MatchResult } from "./matcher.ts";
import { cleanPath, contextRelative, globToRegExp, resolveInside, splitWildcards, unescapeLiteral } from "./sources.ts";
import type { SourceOrigin } from "./sources.ts";
import type { CandidateType, ContextWarning, WalkAction, WalkDecision } from "./walk.ts";

/** An `add`/`copy` step of the image whose local sources are part of the context. */
export interface ContextStep {
  /** The id of the stage holding the step. */
  readonly stage: string;
  /** Index of the step within its stage. */
  readonly step: number;
  readonly kind: "add" | "copy";
  /** The step's local sources, with build variables expanded (URLs and git sources are left out). */
  readonly sources: readonly string[];
  /** The step's `exclude` patterns (relative to each source, as BuildKit's copy applies them). */
  readonly exclude: readonly string[];
  /**
   * Where symlinks that a glob source matched point (context-relative). COPY follows such a link, so its
   * target is part of the context too; `collectContext` fills this in.
   */
  readonly followed?: readonly string[];
}

/** One way a step selects paths: a literal path (and everything under it) or a glob over whole paths. */
interface Selector {
  readonly source: string;
  /** A context-relative path (`""` is the root); set for literal sources and the links they pass. */
  readonly literal?: string;
  readonly glob?: RegExp;
  /** Directories on the way to what this selector can match: the literal path, or a glob's literal prefix. */
  readonly prefix: string;
  /** A glob's prefix: everything below it may match. */
  readonly openBelow: boolean;
}

interface StepPlan {
  readonly step: ContextStep;
  readonly selectors: readonly Selector[];
  readonly exclude: IgnoreMatcher | undefined;
  /** Covers of the context root itself (a source `.`), which every top-level path inherits. */
  readonly rootCovers: readonly Cover[];
}

/** A step's source root (the path a source named or a glob matched) that covers a directory, and the exclude decision there. */
interface Cover {
  readonly root: string;
  readonly source: string;
  /** The step `exclude` decision for the path relative to `root`; `undefined` at the root itself. */
  readonly exclude: MatchResult | undefined;
}

/** What the decider remembers about a directory for its children. */
export interface DirState {
  readonly ignore: MatchResult | undefined;
  readonly covers: readonly (readonly Cover[])[];
}

/** How one step sees a path. */
export interface StepVerdict {
  readonly step: ContextStep;
  /** The source root covering the path (the path itself, or a directory above it), if any. */
  readonly root?: string;
  /** The source (as written) that selected `root`. */
  readonly source?: string;
  /** True when the step copies the path. */
  readonly included: boolean;
  /** The step's `exclude` pattern that dropped the path (or `!pattern` that kept it). */
  readonly excludeRule?: IgnoreRule;
}

/** Everything decided about one path. */
export interface Verdict extends WalkDecision<DirState> {
  readonly ignored: boolean;
  /** The `.dockerignore` rule that decided (last match wins); absent when no rule matched. */
  readonly ignoreRule?: IgnoreRule;
  /** One verdict per step, when the context comes from an image. */
  readonly steps?: readonly StepVerdict[];
}

const NOT_EXCLUDED: MatchResult = { excluded: false };

/** Decides paths for one context: its `.dockerignore` rules and, for an image, its steps. */
export class Decider {
  readonly #ignore: IgnoreMatcher | undefined;
  readonly #plans: readonly StepPlan[] | undefined;
  /** Glob-matched symlinks, which COPY follows: `collectContext` resolves them after the walk. */
  readonly followed: { readonly origin: SourceOrigin; readonly path: string }[] = [];
  /** Sources that brought something into the context, by `stepIndex:source`. */
  readonly matched = new Set<string>();
  /** Sources that do not exist (already warned about), by `stepIndex:source`. */
  readonly missing = new Set<string>();

  private constructor(ignore: IgnoreMatcher | undefined, plans: readonly StepPlan[] | undefined, missing: ReadonlySet<string>) {
    this.#ignore = ignore;
    this.#plans = plans;
    for (const key of missing) this.missing.add(key);
  }

  /**
   * Builds a decider: resolves each literal source inside `root` (following symlinks, refusing escapes) and
   * compiles globs and step excludes.
   */
  static async create(
    root: string,
    rules: readonly IgnoreRule[],
    steps: readonly ContextStep[] | undefined,
    warnings: ContextWarning[],
  ): Promise<Decider> {
    const ignore = rules.length > 0 ? new IgnoreMatcher(rules) : undefined;
    if (steps === undefined) return new Decider(ignore, undefined, new Set());
    const missing = new Set<string>();
    const plans: StepPlan[] = [];
    for (const [index, step] of steps.entries()) {
      const selectors: Selector[] = [];
      for (const source of step.sources) {
        const origin: SourceOrigin = { stage: step.stage, step: step.step, source };
        const relative = contextRelative(source, origin);
        const { prefix, rest } = splitWildcards(relative);
        const literalPrefix = unescapeLiteral(prefix);
        const resolved = await resolveInside(root, literalPrefix, origin);
        for (const link of resolved.links) selectors.push({ source, literal: link, prefix: link, openBelow: false });
        if (resolved.target === undefined) {
          missing.add(`${index}:${source}`);
          warnings.push({
            code: "source-not-found",
            path: literalPrefix,
            step: step.step,
            stage: step.stage,
            message: `step ${step.step} of stage ${JSON.stringify(step.stage)}: the source ${JSON.stringify(source)} does not exist in the context`,
          });
          continue;
        }
        if (rest === "") {
          selectors.push({ source, literal: resolved.target, prefix: resolved.target, openBelow: false });
        } else {
          const base = resolved.target;
          const glob = globToRegExp(base === "" ? rest : `${escapeGlob(base)}/${rest}`, origin);
          selectors.push({ source, glob, prefix: base, openBelow: true });
        }
      }
      for (const path of step.followed ?? []) selectors.push({ source: path, literal: path, prefix: path, openBelow: false });
      const rootCovers = selectors
        .filter((selector) => selector.literal === "")
        .map((selector): Cover => ({ root: "", source: selector.source, exclude: undefined }));
      plans.push({ step, selectors, exclude: compileExclude(step), rootCovers });
    }
    return new Decider(ignore, plans, missing);
  }

  /** True when the context comes from an image's steps. */
  get fromImage(): boolean {
    return this.#plans !== undefined;
  }

  /** Decides `path` (of `type`) given its parent directory's state. */
  decide(path: string, type: CandidateType, parent: DirState | undefined): Verdict {
    const ignore = this.#ignore === undefined ? NOT_EXCLUDED : this.#ignore.match(path, parent?.ignore);
    const ignored = ignore.excluded;
    const ignoreRule = ignore.rule;
    const ignoreMayReach = !ignored || (type === "dir" && this.#ignore !== undefined && this.#ignore.mayMatchUnder(path));

    if (this.#plans === undefined) {
      const action: WalkAction = !ignored ? "include" : ignoreMayReach ? "descend" : "exclude";
      const state: DirState = { ignore, covers: [] };
      return { action, state, ignored, ...(ignoreRule === undefined ? {} : { ignoreRule }) };
    }

    let included = false;
    let reachBelow = false;
    const keptBy: string[] = [];
    const covers: (readonly Cover[])[] = [];
    const verdicts: StepVerdict[] = [];
    for (const [index, plan] of this.#plans.entries()) {
      const stepCovers: Cover[] = [];
      let stepIncluded = false;
      let stepBelow = false;
      let first: { cover: Cover; included: boolean } | undefined;
      for (const cover of parent === undefined ? plan.rootCovers : (parent.covers[index] ?? [])) {
        const rel = path.slice(cover.root === "" ? 0 : cover.root.length + 1);
        const exclude = plan.exclude === undefined ? NOT_EXCLUDED : plan.exclude.match(rel, cover.exclude);
        const next: Cover = { root: cover.root, source: cover.source, exclude };
        stepCovers.push(next);
        const keeps = !exclude.excluded;
        if (keeps) {
          stepIncluded = true;
          keptBy.push(`${index}:${cover.source}`);
        }
        if (keeps || (type === "dir" && plan.exclude?.mayMatchUnder(rel) === true)) stepBelow = true;
        if (first === undefined || (keeps && !first.included)) first = { cover: next, included: keeps };
      }
      for (const selector of plan.selectors) {
        // A selector matches once per branch: below a directory a glob matched, the directory covers all.
        if (stepCovers.some((cover) => cover.source === selector.source)) continue;
        const hit = selector.literal !== undefined ? selector.literal === path : selector.glob?.test(path) === true;
        if (hit) {
          keptBy.push(`${index}:${selector.source}`);
          if (selector.glob !== undefined && type === "symlink") {
            this.followed.push({ origin: { stage: plan.step.stage, step: plan.step.step, source: selector.source }, path });
          }
          const cover: Cover = { root: path, source: selector.source, exclude: undefined };
          stepCovers.push(cover);
          stepIncluded = true;
          stepBelow = true;
          if (!first?.included) first = { cover, included: true };
        } else if (type === "dir" && leadsTo(path, selector)) {
          stepBelow = true;
        }
      }
      covers.push(stepCovers);
      included ||= stepIncluded;
      reachBelow ||= stepBelow;
      const verdict: StepVerdict = first === undefined
        ? { step: plan.step, included: false }
        : {
            step: plan.step,
            root: first.cover.root,
            source: first.cover.source,
            included: first.included,
            ...(first.cover.exclude?.rule === undefined ? {} : { excludeRule: first.cover.exclude.rule }),
          };
      verdicts.push(verdict);
    }
    const state: DirState = { ignore, covers };
    const action: WalkAction = !ignored && included ? "include" : type === "dir" && reachBelow && ignoreMayReach ? "descend" : "exclude";
    if (action === "include") for (const key of keptBy) this.matched.add(key);
    return { action, state, ignored, ...(ignoreRule === undefined ? {} : { ignoreRule }), steps: verdicts };
  }
}

/** True when a selector could match something below directory `dir`. */
function leadsTo(dir: string, selector: Selector): boolean {
  if (selector.prefix === "") return selector.openBelow;
  if (selector.prefix.startsWith(`${dir}/`)) return true;
  return selector.openBelow && (dir === selector.prefix || dir.startsWith(`${selector.prefix}/`));
}

/** Escapes glob syntax in a literal path, so it can be the prefix of a glob. */
function escapeGlob(path: string): string {
  return path.replace(/[*?[\\]/g, "\\$&");
}

/**
 * A step's `exclude` patterns as a matcher. Like BuildKit (`patternmatcher.New`), each pattern is trimmed and
 * cleaned, `!` marks an exception, and there are no comments: a pattern is never read as one.
 */
function compileExclude(step: ContextStep): IgnoreMatcher | undefined {
  if (step.exclude.length === 0) return undefined;
  const rules: IgnoreRule[] = [];
  for (const [index, text] of step.exclude.entries()) {
    let parsed: IgnoreRule[];
    try {
      parsed = parseDockerignore(text.trim().startsWith("#") ? `\\${text.trim()}` : text, `step ${step.step} exclude`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ContextError("invalid-option", `step ${step.step} of stage ${JSON.stringify(step.stage)}: the exclude pattern ${JSON.stringify(text)} is invalid: ${reason}`, {
        path: text,
        step: step.step,
      }, { cause: error });
    }
    for (const rule of parsed) rules.push({ ...rule, line: index + 1, text });
  }
  return rules.length === 0 ? undefined : new IgnoreMatcher(rules);
}

/** Cleans a path given by a user (for `explainContext`) to the context-relative form; `""` is the root. */
export function cleanQueryPath(path: string): string {
  const clean = cleanPath(path.replace(/^\/+/, ""));
  return clean === "." ? "" : clean;
}
