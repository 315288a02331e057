import { ChutesError } from "@chutes/image-core";
import type { ChutesErrorOptions } from "@chutes/image-core";

/**
 * Stable codes of `ContextError`:
 * - `invalid-dockerignore`: a `.dockerignore` line Docker would reject (an unterminated `[`, a trailing `\`,
 *   a lone `!`, a class or escape its regular expressions refuse); `path` is the file, `line` the line;
 * - `outside-context`: a source that escapes the context root (`..`, an absolute path, a symlink followed out);
 * - `unreadable`: a file or directory in the context that cannot be read;
 * - `not-found`: a source or root that does not exist;
 * - `not-a-directory`: a context root that is not a directory;
 * - `invalid-option`: a bad option value.
 */
export type ContextErrorCode =
  | "invalid-dockerignore"
  | "outside-context"
  | "unreadable"
  | "not-found"
  | "not-a-directory"
  | "invalid-option";

/** Where a `ContextError` happened. */
export interface ContextErrorDetails {
  /** The path concerned: a context-relative path, or the ignore file for `invalid-dockerignore`. */
  readonly path?: string;
  /** The index of the `add`/`copy` step that referenced the path. */
  readonly step?: number;
  /** The 1-based line of the ignore file, for `invalid-dockerignore`. */
  readonly line?: number;
}

/** Thrown by `@chutes/context` when a context cannot be computed as Docker would; match on `code`, never on text. */
export class ContextError extends ChutesError {
  declare readonly code: ContextErrorCode;
  readonly path?: string;
  readonly step?: number;
  readonly line?: number;

  constructor(code: ContextErrorCode, message: string, details: ContextErrorDetails = {}, options: ChutesErrorOptions = {}) {
    super(code, message, options);
    this.name = "ContextError";
    if (details.path !== undefined) this.path = details.path;
    if (details.step !== undefined) this.step = details.step;
    if (details.line !== undefined) this.line = details.line;
  }
}
