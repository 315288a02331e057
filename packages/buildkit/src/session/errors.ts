import { ChutesError } from "@chutes/image-core";
import type { ChutesErrorOptions } from "@chutes/image-core";

/**
 * Stable codes of `SessionError`:
 * - `sync-failed`: FileSync could not serve a directory (the source threw, or a file could not be read);
 * - `sync-order`: a source yielded entries out of Go walk order, or a path that is not clean and relative;
 * - `send-failed`: FileSend could not write what the engine exported (an unsafe path, a file system error);
 * - `peer-error`: the engine aborted a transfer (an fsutil ERR packet) or broke the protocol;
 * - `protocol`: a malformed gRPC frame or message from the engine;
 * - `invalid-option`: a bad argument to the session API.
 */
export type SessionErrorCode = "sync-failed" | "sync-order" | "send-failed" | "peer-error" | "protocol" | "invalid-option";

/** Where a `SessionError` happened. */
export interface SessionErrorDetails {
  /** The gRPC method being served, e.g. `/moby.filesync.v1.FileSync/DiffCopy`. */
  readonly method?: string;
  /** The local directory name (`context`, `dockerfile`) for FileSync. */
  readonly dirName?: string;
  /** The relative path concerned. */
  readonly path?: string;
}

/**
 * Raised by the session server (through `onError` and `SessionServer.errors`) when serving a call failed on our
 * side or the engine aborted it. Match on `code`, never on the text. Never carries a secret's value.
 */
export class SessionError extends ChutesError {
  declare readonly code: SessionErrorCode;
  readonly method?: string;
  readonly dirName?: string;
  readonly path?: string;

  constructor(code: SessionErrorCode, message: string, details: SessionErrorDetails = {}, options: ChutesErrorOptions = {}) {
    super(code, message, options);
    this.name = "SessionError";
    if (details.method !== undefined) this.method = details.method;
    if (details.dirName !== undefined) this.dirName = details.dirName;
    if (details.path !== undefined) this.path = details.path;
  }
}
