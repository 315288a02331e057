import { ChutesError } from "@chutes/image-core";
import type { ChutesErrorOptions } from "@chutes/image-core";

/**
 * Stable codes of `LLBError`:
 * - `unsupported-feature`: a step needs an LLB capability the engine does not have (BuildKit 0.8 in Docker 20.10
 *   lacks several); the message names the feature, the step and the capability;
 * - `invalid-reference`: an image reference Docker would not parse;
 * - `missing-base-config`: `marshalLLB` got no config for a base image (resolve it with `resolveBaseConfigs`);
 * - `unsupported-base`: a base image the LLB back end cannot reproduce (ONBUILD triggers);
 * - `invalid-step`: a step value the LLB back end cannot express (an empty command, a bad chmod...).
 */
export type LLBErrorCode = "unsupported-feature" | "invalid-reference" | "missing-base-config" | "unsupported-base" | "invalid-step";

/** Where an `LLBError` happened, in IR coordinates. */
export interface LLBErrorDetails {
  readonly stage?: string;
  readonly step?: number;
  /** The LLB capability that is missing, for `unsupported-feature`. */
  readonly cap?: string;
}

/** Raised while turning an image into LLB. Match on `code`, never on the text. */
export class LLBError extends ChutesError {
  declare readonly code: LLBErrorCode;
  readonly stage?: string;
  readonly step?: number;
  readonly cap?: string;

  constructor(code: LLBErrorCode, message: string, details: LLBErrorDetails = {}, options: ChutesErrorOptions = {}) {
    super(code, message, options);
    this.name = "LLBError";
    if (details.stage !== undefined) this.stage = details.stage;
    if (details.step !== undefined) this.step = details.step;
    if (details.cap !== undefined) this.cap = details.cap;
  }
}
