// Which image step a vertex of BuildKit's Dockerfile frontend comes from. The frontend names the vertices of each
// stage `[<stage> <n>/<total>] <INSTRUCTION ...>` (no stage name when there is one stage): it numbers, from 1,
// the FROM of an image base and every RUN, COPY, ADD and WORKDIR, and nothing else (dockerfile2llb's
// `prefixCommand`, the same from BuildKit 0.8 to 0.13). `@chutes/dockerfile` renders one instruction per IR
// step, so the n-th numbered instruction of a stage is the n-th such step (after the FROM).

import type { ImageSpec, Stage, StepKind } from "@chutes/image-core";
import type { StepCoordinates } from "./backend.ts";

/** The step kinds that give a numbered vertex. */
const NUMBERED: ReadonlySet<StepKind> = new Set<StepKind>(["run", "add", "copy", "copyFrom", "workdir"]);

/** A parsed vertex name: `[builder  2/12] RUN make` gives `{ stage: "builder", index: 2, total: 12 }`. */
export interface DockerfileVertexName {
  readonly stage: string | undefined;
  readonly index: number;
  readonly total: number;
  /** The instruction as the frontend shows it (`RUN make`). */
  readonly instruction: string;
}

const VERTEX_NAME = /^\[(?:([^\s\]]+) )?\s*(\d+)\/(\d+)\] (.*)$/s;

export function parseVertexName(name: string): DockerfileVertexName | undefined {
  const match = VERTEX_NAME.exec(name);
  if (match === null) return undefined;
  const [, stage, index, total, instruction] = match;
  return { stage, index: Number(index), total: Number(total), instruction: instruction ?? "" };
}

/** For each stage, the entries the frontend numbers: `"from"` for an image base, then step indices. */
function numberedEntries(stage: Stage): (number | "from")[] {
  const entries: (number | "from")[] = [];
  if (stage.base !== "scratch" && !("stage" in stage.base)) entries.push("from");
  stage.steps.forEach((step, index) => {
    if (NUMBERED.has(step.kind)) entries.push(index);
  });
  return entries;
}

/** The step kinds each instruction keyword comes from. */
const KINDS_OF: Readonly<Record<string, readonly StepKind[]>> = {
  RUN: ["run"],
  COPY: ["copy", "copyFrom"],
  ADD: ["add"],
  WORKDIR: ["workdir"],
};

/**
 * A `stepOf` for the Dockerfile frontend: maps a vertex name back to the IR step. The n-th numbered entry of the
 * named stage (the only stage when there is one) must be a step of the instruction's kind. When two builds share
 * a vertex (the same instructions from the same base, run at the same time), the engine shows the name the other
 * build gave it: the number is still right (the vertex's digest covers every step before it), the total and the
 * stage name may not be. So the total is only a preference, and an unknown stage name falls back to the one stage
 * where the entry fits. Returns `undefined` for vertices that are not a step (internal ones, the export, a FROM)
 * and when nothing fits: better no step than a wrong one.
 */
export function dockerfileStepMapper(spec: ImageSpec): (vertex: { readonly name: string }) => StepCoordinates | undefined {
  const stages = spec.stages.map((stage) => ({ id: stage.id, steps: stage.steps, entries: numberedEntries(stage) }));
  return (vertex) => {
    const parsed = parseVertexName(vertex.name);
    if (parsed === undefined) return undefined;
    const kinds = KINDS_OF[parsed.instruction.split(" ", 1)[0] ?? ""];
    if (kinds === undefined) return undefined;
    const fits = stages.flatMap((stage) => {
      const entry = stage.entries[parsed.index - 1];
      const step = typeof entry === "number" ? stage.steps[entry] : undefined;
      return typeof entry === "number" && step !== undefined && kinds.includes(step.kind) ? [{ stage, entry }] : [];
    });
    const named = stages.length === 1 ? fits : fits.filter(({ stage }) => stage.id === parsed.stage);
    const candidates = named.length > 0 ? named : fits;
    const exact = candidates.filter(({ stage }) => stage.entries.length === parsed.total);
    const chosen = exact.length === 1 ? exact[0] : candidates.length === 1 ? candidates[0] : undefined;
    return chosen === undefined ? undefined : { stage: chosen.stage.id, step: chosen.entry };
  };
}
