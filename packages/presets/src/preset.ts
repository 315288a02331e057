// Presets that say what they set, so that two presets fighting over the same thing are reported.
//
// Design. A preset is a plain `(image) => image` function (apply it with `image.with(preset)`) that also carries
// its declaration: the environment variables it owns, the paths it creates or owns, and whether it sets the user.
// When applied, it appends one label to the image, `dev.chutes.preset.<name>`, whose value is the declaration as
// JSON plus the number of steps the preset added. The record therefore lives in the IR itself: it survives later
// builder calls, `toJSON()` / `Image.fromJSON()`, and layered definitions (`createNlpImage(createMlImage(base))`)
// without any registry that could go stale, and `image.inspect().Labels` shows which presets built an image.
// `presetConflicts(image)` reads those labels in step order, stage by stage (a stage sees the presets of the stages
// it is based on, not those of stages it only copies from), and reports:
//   - preset-env-conflict    two presets own the same environment variable (the later silently wins)
//   - preset-path-conflict   two presets own the same path, or one path inside another
//   - preset-user-conflict   two presets both set the user
//   - preset-applied-twice   the same preset applied twice in one stage
//   - preset-undeclared-env  a preset's own steps set a variable it did not declare (PATH excepted: prepending to
//                            PATH composes)
//   - preset-undeclared-user a preset's own steps set the user without declaring it
// A preset may also record `notes` (facts such as the venv's Python or the torch pins) that later presets and
// layered templates read back with `appliedPresets`. The cost: one LABEL line per preset in the Dockerfile and one
// label in the image config, which doubles as provenance.

import { ChutesError, Image, ValidationError } from "@chutes/image-core";
import type { ImageSpec, ImageTransform, Issue, Stage, Step } from "@chutes/image-core";

/** The namespace of the labels presets record themselves in. */
export const PRESET_LABEL_PREFIX = "dev.chutes.preset.";

/** What a preset sets. */
export interface PresetDeclaration {
  /** Environment variables the preset owns (sets to its own value). PATH is shared and need not be listed. */
  readonly env?: readonly string[];
  /** Absolute paths the preset creates or owns (and everything under them). */
  readonly paths?: readonly string[];
  /** Whether the preset sets the user (`setUser`). */
  readonly user?: boolean;
}

/** The definition given to `definePreset`. */
export interface PresetDefinition {
  /** Lowercase letters, digits, `.` and `-`; the label is `dev.chutes.preset.<name>`. */
  readonly name: string;
  readonly sets: PresetDeclaration;
  /** The steps: must return a new Image built from the one given (append steps; do not start a new image). */
  readonly apply: ImageTransform;
  /** Facts later presets may read with `appliedPresets` (the Python version a venv has, the torch pins). */
  readonly notes?: Readonly<Record<string, string>>;
}

/** A preset: an `ImageTransform` that carries its declaration. */
export interface Preset extends ImageTransform {
  readonly presetName: string;
  readonly sets: Required<PresetDeclaration>;
}

/** What a preset label holds. */
interface Recorded {
  readonly env: readonly string[];
  readonly paths: readonly string[];
  readonly user: boolean;
  /** Steps the preset appended before its label; absent when they could not be counted. */
  readonly steps?: number;
  readonly notes?: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * Defines a preset. Throws a `ChutesError` (`invalid-preset`) for a bad name or declaration: that is a bug in the
 * preset, found when the module defining it loads.
 */
export function definePreset(definition: PresetDefinition): Preset {
  const { name, sets, apply, notes } = definition;
  if (!NAME.test(name)) {
    throw new ChutesError("invalid-preset", `preset name ${JSON.stringify(name)} must be lowercase letters, digits, "." and "-", e.g. "hf-cache"`);
  }
  if (typeof apply !== "function") {
    throw new ChutesError("invalid-preset", `preset "${name}" needs an apply function: (image) => image`);
  }
  for (const path of sets.paths ?? []) {
    if (!path.startsWith("/")) {
      throw new ChutesError("invalid-preset", `preset "${name}" declares the path ${JSON.stringify(path)}; paths must be absolute`);
    }
  }
  const declared: Required<PresetDeclaration> = Object.freeze({
    env: Object.freeze([...(sets.env ?? [])].sort()),
    paths: Object.freeze([...(sets.paths ?? [])].map(normalizePath).sort()),
    user: sets.user ?? false,
  });
  const preset = (image: Image): Image => {
    const before = lastStage(image.toJSON());
    const after = apply(image);
    if (!Image.isImage(after)) return after; // image.with() reports a transform that returns no Image
    const afterStage = lastStage(after.toJSON());
    const steps = appendedSteps(before, afterStage);
    // Empty fields are left out to keep the label short; parseRecord reads them back as empty.
    const record = {
      ...(declared.env.length === 0 ? {} : { env: declared.env }),
      ...(declared.paths.length === 0 ? {} : { paths: declared.paths }),
      ...(declared.user ? { user: true } : {}),
      ...(steps === undefined ? {} : { steps }),
      ...(notes === undefined ? {} : { notes: sortedRecord(notes) }),
    };
    return after.withLabel(`${PRESET_LABEL_PREFIX}${name}`, JSON.stringify(record), { literal: true });
  };
  return Object.freeze(Object.assign(preset, { presetName: name, sets: declared }));
}

/** Every conflict between the presets applied to an image (empty when there is none). */
export function presetConflicts(image: Image | ImageSpec): Issue[] {
  const spec = Image.isImage(image) ? image.toJSON() : image;
  const byId = new Map(spec.stages.map((stage, index) => [stage.id, { stage, index }]));
  const issues = new Map<string, Issue>();
  for (const stage of spec.stages) {
    const chain = stageChain(stage, byId);
    const applications = chain.flatMap(({ stage: s, index }) => applicationsIn(s, index));
    applications.forEach((later, n) => {
      for (const problem of undeclared(later)) issues.set(`${later.stage}/${later.step}/${problem.code}/${String(problem.value)}`, problem);
      for (const earlier of applications.slice(0, n)) {
        for (const problem of conflicts(earlier, later)) {
          issues.set(`${later.stage}/${later.step}/${problem.code}/${String(problem.value)}/${earlier.step}`, problem);
        }
      }
    });
  }
  return [...issues.values()];
}

/** Throws one `ValidationError` listing every preset conflict, if there are any. */
export function checkPresets(image: Image | ImageSpec): void {
  const issues = presetConflicts(image);
  if (issues.length > 0) throw new ValidationError(issues);
}

/** A preset found on an image. */
export interface AppliedPreset {
  readonly name: string;
  readonly sets: Required<PresetDeclaration>;
  readonly notes: Readonly<Record<string, string>>;
}

/** The presets applied to an image's final stage (and the stages it is based on), in order. */
export function appliedPresets(image: Image | ImageSpec): AppliedPreset[] {
  const spec = Image.isImage(image) ? image.toJSON() : image;
  const last = spec.stages.at(-1);
  if (last === undefined) return [];
  const byId = new Map(spec.stages.map((stage, index) => [stage.id, { stage, index }]));
  return stageChain(last, byId)
    .flatMap(({ stage, index }) => applicationsIn(stage, index))
    .map(({ name, record }) => ({ name, sets: { env: record.env, paths: record.paths, user: record.user }, notes: record.notes ?? {} }));
}

// ---------------------------------------------------------------------------------------------------------

interface Application {
  readonly name: string;
  readonly record: Recorded;
  readonly stage: string;
  readonly stageIndex: number;
  /** The label step. */
  readonly step: number;
  /** The steps the preset added (before its label), when known. */
  readonly own: readonly Step[];
}

function lastStage(spec: ImageSpec): Stage | undefined {
  return spec.stages.at(-1);
}

/** How many steps `after` appended to `before`'s last stage; undefined when `after` is not `before` + steps. */
function appendedSteps(before: Stage | undefined, after: Stage | undefined): number | undefined {
  if (before === undefined || after === undefined || after.steps.length < before.steps.length) return undefined;
  const same = before.steps.every((step, index) => JSON.stringify(step) === JSON.stringify(after.steps[index]));
  return same ? after.steps.length - before.steps.length : undefined;
}

/** The stage and the stages it is based on, base first. */
function stageChain(stage: Stage, byId: ReadonlyMap<string, { readonly stage: Stage; readonly index: number }>): { stage: Stage; index: number }[] {
  const chain: { stage: Stage; index: number }[] = [];
  const seen = new Set<string>();
  for (let current: Stage | undefined = stage; current !== undefined && !seen.has(current.id); ) {
    seen.add(current.id);
    const entry = byId.get(current.id);
    if (entry) chain.unshift(entry);
    const base: Stage["base"] = current.base;
    current = typeof base === "object" && "stage" in base ? byId.get(base.stage)?.stage : undefined;
  }
  return chain;
}

function applicationsIn(stage: Stage, stageIndex: number): Application[] {
  const found: Application[] = [];
  stage.steps.forEach((step, index) => {
    if (step.kind !== "label" || !step.key.startsWith(PRESET_LABEL_PREFIX)) return;
    const record = parseRecord(step.value);
    if (record === undefined) return;
    const own = record.steps === undefined ? [] : stage.steps.slice(Math.max(0, index - record.steps), index);
    found.push({ name: step.key.slice(PRESET_LABEL_PREFIX.length), record, stage: stage.id, stageIndex, step: index, own });
  });
  return found;
}

function parseRecord(value: string): Recorded | undefined {
  let data: unknown;
  try {
    // Labels written with { literal: true } escape `$` and `\`; undo that before parsing.
    data = JSON.parse(value.replace(/\\([$\\])/g, "$1"));
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const strings = (field: unknown): string[] => (Array.isArray(field) ? field.filter((v): v is string => typeof v === "string") : []);
  const notes =
    typeof record.notes === "object" && record.notes !== null
      ? Object.fromEntries(Object.entries(record.notes).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
      : undefined;
  return {
    env: strings(record.env),
    paths: strings(record.paths),
    user: record.user === true,
    ...(typeof record.steps === "number" ? { steps: record.steps } : {}),
    ...(notes === undefined ? {} : { notes }),
  };
}

const where = (application: Application): string => `"${application.name}" (stage ${application.stage}, step ${application.step})`;

const issueAt = (application: Application, code: string, value: unknown, message: string): Issue => ({
  code,
  severity: "error",
  method: "with",
  stage: application.stage,
  step: application.step,
  path: ["stages", application.stageIndex, "steps", application.step],
  value,
  message,
});

function conflicts(earlier: Application, later: Application): Issue[] {
  if (earlier.name === later.name) {
    return [
      issueAt(
        later,
        "preset-applied-twice",
        later.name,
        `preset ${where(later)} was already applied at step ${earlier.step}; apply it once (layered definitions: only the first layer should)`,
      ),
    ];
  }
  const found: Issue[] = [];
  for (const key of later.record.env.filter((k) => earlier.record.env.includes(k))) {
    found.push(
      issueAt(
        later,
        "preset-env-conflict",
        key,
        `presets ${where(earlier)} and ${where(later)} both set ${key}; the later silently wins. Keep one, or give them the same value through one preset's options`,
      ),
    );
  }
  for (const path of later.record.paths) {
    const other = earlier.record.paths.find((p) => overlaps(p, path));
    if (other === undefined) continue;
    const relation = other === path ? `both own ${path}` : `own overlapping paths ${other} and ${path}`;
    found.push(
      issueAt(later, "preset-path-conflict", path, `presets ${where(earlier)} and ${where(later)} ${relation}; give one of them another path`),
    );
  }
  if (earlier.record.user && later.record.user) {
    found.push(
      issueAt(later, "preset-user-conflict", later.name, `presets ${where(earlier)} and ${where(later)} both set the user; keep one of them`),
    );
  }
  return found;
}

function undeclared(application: Application): Issue[] {
  const found: Issue[] = [];
  for (const step of application.own) {
    if (step.kind === "env" && step.key !== "PATH" && !application.record.env.includes(step.key)) {
      found.push(
        issueAt(
          application,
          "preset-undeclared-env",
          step.key,
          `preset ${where(application)} sets ${step.key} without declaring it; add it to sets.env so conflicts with other presets are found`,
        ),
      );
    }
    if (step.kind === "user" && !application.record.user) {
      found.push(
        issueAt(application, "preset-undeclared-user", step.user, `preset ${where(application)} sets the user without declaring it; add user: true to sets`),
      );
    }
  }
  return found;
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

function overlaps(a: string, b: string): boolean {
  return a === b || b.startsWith(a === "/" ? "/" : `${a}/`) || a.startsWith(b === "/" ? "/" : `${b}/`);
}
