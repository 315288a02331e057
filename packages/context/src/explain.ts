// explainContext: why one path is in the context or out of it, naming the step and the `.dockerignore` line.

import { lstat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import type { CollectOptions, ContextManifest } from "./collect.ts";
import { collectContext } from "./collect.ts";
import { Decider, cleanQueryPath } from "./decide.ts";
import type { DirState, StepVerdict, Verdict } from "./decide.ts";
import type { IgnoreRule } from "./dockerignore.ts";
import { ContextError } from "./errors.ts";
import type { CandidateType } from "./walk.ts";
import { errorCode, fsError, statType } from "./walk.ts";

/** The `.dockerignore` side of an explanation. */
export interface IgnoreVerdict {
  /** The ignore file (absolute), if there is one. */
  readonly file?: string;
  /** `.dockerignore` leaves the path (or `cutAt`) out. */
  readonly excluded: boolean;
  /** The rule that decided: the last one that matched. Absent when no rule matched. */
  readonly rule?: IgnoreRule;
}

/** Why a path is in the context or not. */
export interface ContextExplanation {
  /** The path asked about, cleaned and relative to the context root. */
  readonly path: string;
  /** The path is in the context (as the manifest has it). */
  readonly included: boolean;
  /** What the path is on disk; absent when it does not exist (or lies below a symlink, which is not followed). */
  readonly type?: CandidateType;
  /**
   * An ancestor directory that was left out with everything below it (never walked): the decision there is
   * the one that counts, and `ignore`/`steps` describe that directory.
   */
  readonly cutAt?: string;
  /** The directory is excluded itself but kept because something below it is (Docker creates it as a parent). */
  readonly asParent?: boolean;
  readonly ignore: IgnoreVerdict;
  /** How each `add`/`copy` step sees the path, when the context comes from an image. */
  readonly steps?: readonly StepVerdict[];
  /** The explanation in one or two sentences. */
  readonly reason: string;
}

/**
 * Explains why `path` (relative to the context root, or absolute inside it) is in the context or not: the
 * `.dockerignore` line (number and text) that decided, the step that references it (and its `exclude`
 * pattern that dropped it), or the excluded directory above it. Accepts a manifest from `collectContext`, or
 * the options to collect one.
 */
export async function explainContext(input: ContextManifest | CollectOptions, path: string): Promise<ContextExplanation> {
  const manifest = "entries" in input ? input : await collectContext(input);
  const query = queryPath(manifest.root, path);
  const decider = await Decider.create(manifest.root, manifest.ignore.rules, manifest.steps, []);
  const file = manifest.ignore.file;
  const base = (verdict: Verdict): Pick<ContextExplanation, "ignore" | "steps"> => ({
    ignore: { ...(file === undefined ? {} : { file }), excluded: verdict.ignored, ...(verdict.ignoreRule === undefined ? {} : { rule: verdict.ignoreRule }) },
    ...(verdict.steps === undefined ? {} : { steps: verdict.steps }),
  });

  if (query === "") {
    return { path: ".", included: true, type: "dir", ignore: file === undefined ? { excluded: false } : { file, excluded: false }, reason: "the context root is always part of the context" };
  }

  const parts = query.split("/");
  let state: DirState | undefined;
  for (let i = 0; i < parts.length - 1; i++) {
    const ancestor = parts.slice(0, i + 1).join("/");
    const type = await typeOf(manifest.root, ancestor);
    if (type !== "dir") {
      const reason = type === undefined
        ? `${query} does not exist: ${ancestor} does not exist in the context directory`
        : `${query} is not in the context: ${ancestor} is a ${type === "symlink" ? "symlink, which is never followed" : "file, not a directory"}`;
      return { path: query, included: false, ignore: { ...(file === undefined ? {} : { file }), excluded: false }, reason };
    }
    const verdict = decider.decide(ancestor, "dir", state);
    if (verdict.action === "exclude") {
      const below = await typeOf(manifest.root, query);
      return {
        path: query,
        included: false,
        ...(below === undefined ? {} : { type: below }),
        cutAt: ancestor,
        ...base(verdict),
        reason: cutReason(query, ancestor, verdict, decider.fromImage),
      };
    }
    state = verdict.state;
  }

  const type = await typeOf(manifest.root, query);
  if (type === undefined) {
    return { path: query, included: false, ignore: { ...(file === undefined ? {} : { file }), excluded: false }, reason: `${query} does not exist in the context directory` };
  }
  const verdict = decider.decide(query, type, state);
  const entry = manifest.entries.find((candidate) => candidate.path === query);
  const included = entry !== undefined;
  const asParent = included && verdict.action !== "include";
  return {
    path: query,
    included,
    type,
    ...(asParent ? { asParent } : {}),
    ...base(verdict),
    reason: pathReason(query, type, verdict, included, asParent, decider.fromImage),
  };
}

function queryPath(root: string, path: string): string {
  let candidate = path;
  if (isAbsolute(path)) {
    const rel = relative(root, path);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      throw new ContextError("outside-context", `${path} is not inside the context root ${root}`, { path });
    }
    candidate = rel.split(sep).join("/");
  }
  const clean = cleanQueryPath(candidate);
  if (clean === ".." || clean.startsWith("../")) {
    throw new ContextError("outside-context", `${path} is not inside the context root`, { path });
  }
  return clean;
}

async function typeOf(root: string, path: string): Promise<CandidateType | undefined> {
  try {
    return statType(await lstat(join(root, path), { bigint: true }));
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw fsError(error, path, "the path");
  }
}

function ruleText(rule: IgnoreRule): string {
  return `line ${rule.line}: ${rule.text.trim()}`;
}

function ignoreClause(verdict: Verdict): string {
  if (verdict.ignoreRule === undefined) return "no .dockerignore rule matches it";
  return verdict.ignored
    ? `.dockerignore excludes it (${ruleText(verdict.ignoreRule)})`
    : `.dockerignore re-includes it (${ruleText(verdict.ignoreRule)})`;
}

function stepName(verdict: StepVerdict): string {
  return `step ${verdict.step.step} (${verdict.step.kind}) of stage ${JSON.stringify(verdict.step.stage)}`;
}

function stepsClause(verdict: Verdict): string {
  const steps = verdict.steps ?? [];
  const including = steps.filter((step) => step.included);
  if (including.length > 0) {
    return including
      .map((step) => `${stepName(step)} references it through the source ${JSON.stringify(step.source ?? "")}${step.root !== undefined && step.root !== "" ? ` (${step.root})` : ""}`)
      .join("; ");
  }
  const dropped = steps.filter((step) => step.root !== undefined);
  if (dropped.length > 0) {
    return dropped
      .map((step) => `${stepName(step)} copies ${JSON.stringify(step.source ?? "")} but its exclude pattern ${JSON.stringify(step.excludeRule?.text ?? "")} drops it`)
      .join("; ");
  }
  return "no add/copy step references it";
}

function cutReason(path: string, ancestor: string, verdict: Verdict, fromImage: boolean): string {
  if (verdict.ignored) {
    return `${path} is out: its directory ${ancestor} is excluded by .dockerignore (${verdict.ignoreRule === undefined ? "a parent rule" : ruleText(verdict.ignoreRule)}) and no exception reaches below it`;
  }
  return fromImage ? `${path} is out: ${stepsClause(verdict)} at ${ancestor}, nor anything below it` : `${path} is out: ${ancestor} is left out`;
}

function pathReason(path: string, type: CandidateType, verdict: Verdict, included: boolean, asParent: boolean, fromImage: boolean): string {
  if (type === "special") return `${path} is out: FIFOs, sockets and devices are never part of a build context`;
  if (asParent) {
    return `${path} is in as the parent of included paths, though ${verdict.ignored ? ignoreClause(verdict) : fromImage ? stepsClause(verdict) : "it is excluded"}`;
  }
  const clauses = [ignoreClause(verdict)];
  if (fromImage) clauses.push(stepsClause(verdict));
  return `${path} is ${included ? "in" : "out"}: ${clauses.join("; ")}`;
}
