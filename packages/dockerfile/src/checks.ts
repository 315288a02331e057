// Checks that a value can be written where the renderer puts it; each failure is a RenderError naming the
// stage, the step, the kind and the value, and saying what to do.

import { unrenderable } from "./errors.ts";
import type { StepContext } from "./errors.ts";
import { isWellFormed } from "./go-text.ts";

const LLB_HINT = "The LLB back end (@chutes/buildkit) can carry it: build through it instead.";

/** Every string must be well-formed UTF-16: a lone surrogate has no UTF-8 encoding. */
export function requireWellFormed(where: StepContext, field: string, value: string): void {
  if (!isWellFormed(value)) {
    unrenderable(
      where,
      field,
      value,
      "it contains a lone UTF-16 surrogate, which cannot be written as UTF-8, so no Dockerfile can hold it.",
      "Fix the string (a surrogate pair was probably split).",
    );
  }
}

/**
 * A value written on one line, in the lexer's syntax (ENV, LABEL, ARG, WORKDIR, USER, paths). BuildKit's parser
 * splits the file at every LF and drops trailing CRs, and its lexer has no escape that yields either one, so no
 * Dockerfile can give such a value a line break.
 */
export function requireSingleLine(where: StepContext, field: string, value: string): void {
  requireWellFormed(where, field, value);
  if (/[\n\r]/.test(value)) {
    unrenderable(
      where,
      field,
      value,
      "it contains a line break (LF or CR), which a Dockerfile cannot express here: a line break ends the " +
        "instruction and the Dockerfile lexer has no escape that produces one.",
      `Remove the line break. ${LLB_HINT}`,
    );
  }
}

/** An ENV, LABEL or ARG name: one line, not empty, without `=` (the parser splits `name=value` at the first one). */
export function requireKey(where: StepContext, field: string, key: string): void {
  requireSingleLine(where, field, key);
  if (key === "") {
    unrenderable(where, field, key, "it is empty, and Docker refuses blank names.", "Give it a name.");
  }
  if (key.includes("=")) {
    unrenderable(
      where,
      field,
      key,
      "it contains `=`, and the Dockerfile parser splits `name=value` at the first `=`, quoted or not.",
      `Choose a name without \`=\`. ${LLB_HINT}`,
    );
  }
}

/** A whole number in `[min, max]`. */
export function requireInteger(where: StepContext, field: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    unrenderable(
      where,
      field,
      value,
      `it is not a whole number from ${min} to ${max}.`,
      "Give a whole number in that range.",
    );
  }
}

/** A list that must not be empty (RUN and SHELL argv, HEALTHCHECK test, COPY sources). */
export function requireNonEmpty(where: StepContext, field: string, value: readonly unknown[], why: string): void {
  if (value.length === 0) {
    unrenderable(where, field, value, `it is empty, but ${why}.`, "Give at least one element.");
  }
}

export { LLB_HINT };
