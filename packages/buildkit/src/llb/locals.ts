// The FileSync directories an LLB build reads. Every `add`/`copy` step reads the build context through its own
// `local://` source that includes exactly the paths it copies; a step with `exclude` patterns reads its own
// local name instead, served already filtered (its files minus its excludes, matched relative to each source by
// `@chutes/context`), which works the same on every engine, BuildKit 0.8 included.

import { classifySource } from "@chutes/image-core";
import type { ImageSpec, Step } from "@chutes/image-core";

/** The default local name of the build context. */
export const DEFAULT_CONTEXT_NAME = "context";

/** The local name of an `add`/`copy` step with `exclude` patterns. */
export function excludeLocalName(contextName: string, stage: string, step: number): string {
  return `${contextName}:${stage}:${step}`;
}

/** True when the step reads the context through a filtered local of its own. */
export function readsFilteredContext(step: Step): boolean {
  return (
    (step.kind === "add" || step.kind === "copy") &&
    (step.exclude?.length ?? 0) > 0 &&
    step.sources.some((source) => classifySource(source) === "local")
  );
}

/** One step that reads a filtered context, and its local name. */
export interface FilteredContextLocal {
  readonly name: string;
  readonly stage: string;
  readonly step: number;
}

/** The steps of `spec` that need a filtered local of their own (see `readsFilteredContext`). */
export function filteredContextLocals(spec: ImageSpec, contextName = DEFAULT_CONTEXT_NAME): FilteredContextLocal[] {
  const out: FilteredContextLocal[] = [];
  for (const stage of spec.stages) {
    stage.steps.forEach((step, index) => {
      if (readsFilteredContext(step)) out.push({ name: excludeLocalName(contextName, stage.id, index), stage: stage.id, step: index });
    });
  }
  return out;
}
