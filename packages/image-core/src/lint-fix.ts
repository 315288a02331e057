// `fixLint(image)`: applies the rewrites of the rules that have one (the fixes that are certainly what the user
// meant), re-lints, and repeats until nothing changes. It rewrites the IR, never the user's source: the CLI
// prints the fixed Dockerfile and says which builder call (file and line) to change (docs/decisions.md).

import { cloneData, deepFreeze } from "./data.ts";
import { ValidationError } from "./errors.ts";
import type { Issue, SourceLocation } from "./errors.ts";
import type { ImageSpec, Step } from "./ir.ts";
import { lint, lintRules } from "./lint.ts";
import type { LintFinding, LintOptions, LintRule } from "./lint.ts";
import { parseSpec } from "./schema.ts";
import { validateSpec } from "./validate.ts";
import type { StepOrigin } from "./validate.ts";

/** One rewrite `fixLint` made. */
export interface AppliedFix {
  readonly rule: string;
  readonly stage: string;
  readonly step: number;
  /** What changed, in one line, e.g. `added -y to "apt-get install curl"`. */
  readonly change: string;
  /** Where the builder call that made the step is, when the input was an Image built in code. */
  readonly location?: SourceLocation;
}

export interface FixLintResult {
  /** The fixed IR: frozen, valid, with the same stages and steps (a fix changes a step, never adds one). */
  readonly spec: ImageSpec;
  /** The rewrites, in the order they were made. */
  readonly applied: readonly AppliedFix[];
  /** What `lint(spec, options)` finds in the fixed IR: the findings no rule could fix. */
  readonly remaining: readonly LintFinding[];
}

/** An Image (anything with `toJSON`, and `validate`/`originOf` when it has them), or its IR. */
export type FixLintInput =
  | ImageSpec
  | {
      toJSON(): ImageSpec;
      validate?(): Issue[];
      originOf?(stage: string, step: number): StepOrigin | undefined;
    };

/** Passes over the findings; each pass that changes something is followed by another, to a fixed point. */
const MAX_PASSES = 16;

/**
 * Applies every available lint rewrite (rules with `rewrite`, as `options` enable them), re-lints and repeats
 * until nothing changes. Returns the fixed spec, what was applied (with the builder call's source location when
 * `image` is an Image) and the findings that remain. Only steps a rule flags change; a rewrite that would make
 * the spec invalid is dropped. Throws a `ValidationError` when the input is not a valid definition, and a
 * `ChutesError` (`invalid-lint-options`) for bad options, as `lint` does.
 */
export function fixLint(image: FixLintInput, options: LintOptions = {}): FixLintResult {
  const source = "toJSON" in image ? image : undefined;
  const parsed = parseSpec(source === undefined ? image : source.toJSON());
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const issues = source?.validate === undefined ? validateSpec(parsed.spec) : source.validate();
  if (issues.length > 0) throw new ValidationError(issues);

  const rules = new Map<string, LintRule>([...lintRules, ...(options.extraRules ?? [])].map((rule) => [rule.id, rule]));
  let spec: ImageSpec = cloneData(parsed.spec);
  const applied: AppliedFix[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const finding of lint(spec, options)) {
      const rule = rules.get(finding.rule);
      const { stage, step } = finding;
      if (rule?.rewrite === undefined || stage === undefined || step === undefined) continue;
      // An earlier rewrite of this pass may have fixed it already.
      if (!rule.check(spec).some((current) => current.stage === stage && current.step === step)) continue;
      const rewrite = rule.rewrite(spec, finding);
      const current = stepAt(spec, stage, step);
      if (rewrite === undefined || current === undefined || sameData(rewrite.step, current)) continue;
      const next = replaceStep(spec, stage, step, rewrite.step);
      const checked = parseSpec(next);
      if (!checked.ok || validateSpec(checked.spec).length > 0) continue;
      spec = next;
      changed = true;
      const location = source?.originOf?.(stage, step)?.location;
      applied.push({ rule: rule.id, stage, step, change: rewrite.change, ...(location === undefined ? {} : { location }) });
    }
    if (!changed) break;
  }
  const fixed = deepFreeze(spec);
  return { spec: fixed, applied, remaining: lint(fixed, options) };
}

function stepAt(spec: ImageSpec, stage: string, step: number): Step | undefined {
  return spec.stages.find((candidate) => candidate.id === stage)?.steps[step];
}

function replaceStep(spec: ImageSpec, stageId: string, index: number, step: Step): ImageSpec {
  return {
    ...spec,
    stages: spec.stages.map((stage) =>
      stage.id === stageId ? { ...stage, steps: stage.steps.map((old, k) => (k === index ? cloneData(step) : old)) } : stage,
    ),
  };
}

const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
