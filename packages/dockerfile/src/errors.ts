import { ChutesError } from "@chutes/image-core";
import type { ChutesErrorOptions, StepKind } from "@chutes/image-core";

/**
 * Stable codes of `RenderError`:
 * - `unrenderable-value`: a value that no Dockerfile line can carry as given (a newline in ENV, a lone
 *   surrogate, a non-ASCII flag value, a malformed `${...}`);
 * - `unknown-stage`: a `{ stage }` base or `copyFrom` naming no earlier stage, or a stage a Dockerfile would
 *   confuse with an image;
 * - `invalid-option`: a bad `RenderOptions` value;
 * - `unsupported-ir`: a spec that is not IR version 1 or has no stage.
 */
export type RenderErrorCode = "unrenderable-value" | "unknown-stage" | "invalid-option" | "unsupported-ir";

/** Where a `RenderError` happened and what it could not render. */
export interface RenderErrorDetails {
  /** The id of the stage. */
  readonly stage?: string;
  /** The index of the step within its stage. */
  readonly step?: number;
  /** The kind of the step. */
  readonly kind?: StepKind;
  /** The offending value, as given. */
  readonly value: unknown;
}

/** Thrown by `renderDockerfile` for a value a Dockerfile cannot express; match on `code`, never on text. */
export class RenderError extends ChutesError {
  declare readonly code: RenderErrorCode;
  readonly stage: string | undefined;
  readonly step: number | undefined;
  readonly kind: StepKind | undefined;
  readonly value: unknown;

  constructor(code: RenderErrorCode, message: string, details: RenderErrorDetails, options: ChutesErrorOptions = {}) {
    super(code, message, options);
    this.name = "RenderError";
    this.stage = details.stage;
    this.step = details.step;
    this.kind = details.kind;
    this.value = details.value;
  }
}

/** The step a value belongs to, carried down so that an error can name it. */
export interface StepContext {
  readonly stage: string;
  readonly step: number;
  readonly kind: StepKind;
}

/**
 * Throws a `RenderError` for `value` in the step `where`: the message names the stage, the step, the kind and
 * the value, then says what is wrong and what to do (`problem` and `fix` are sentences).
 */
export function unrenderable(where: StepContext, field: string, value: unknown, problem: string, fix: string): never {
  const message =
    `stage ${JSON.stringify(where.stage)}, step ${where.step} (${where.kind}), ${field} ${JSON.stringify(value)}: ` +
    `${problem} ${fix}`;
  throw new RenderError("unrenderable-value", message, { ...where, value });
}
