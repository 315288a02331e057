// The session's shared key, which BuildKit uses to find the snapshot a local directory was synced into last
// time (`local.sharedKey:<name>:<hint>:<shared key>`): stable per context directory, so a rebuild transfers
// only what changed.

import { createHash } from "node:crypto";
import { resolve } from "node:path";

/** A stable shared key for a context directory: a hash of its absolute path (and an optional scope). */
export function sessionSharedKey(contextDir: string, scope = ""): string {
  const hash = createHash("sha256").update(`chutes-image session v1\0${resolve(contextDir)}\0${scope}`).digest("hex");
  return `chutes-${hash.slice(0, 32)}`;
}
