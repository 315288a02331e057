// Where this CLI runs from: inside the chutes-image repository (apps/demo/dist or apps/demo/src), whose
// scripts/engine.sh manages the development engines, or installed somewhere else, where there are none.

import { existsSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's development engines (scripts/engine.sh): their ids, what they run, their sockets. */
export const LOCAL_ENGINES = [
  { id: "a", label: "engine A (Docker 20.10, BuildKit 0.8)", socket: "/run/chutes-image/a/docker.sock" },
  { id: "b", label: "engine B (Docker 26, BuildKit 0.13)", socket: "/run/chutes-image/b/docker.sock" },
] as const;

export type LocalEngine = (typeof LOCAL_ENGINES)[number];

/** The base image the local engines import (`engine.sh up`), which local builds map remote bases to. */
export const LOCAL_BASE = "local/debian:bookworm-minbase";

/**
 * The repository root when the CLI package (the folder above `moduleDir`, this file's `dist/` or `src/`) is the
 * repository's `apps/demo` and `scripts/engine.sh` is there; undefined otherwise.
 */
export function findRepoRoot(moduleDir: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  const packageDir = resolve(moduleDir, "..");
  const root = resolve(packageDir, "..", "..");
  try {
    if (realpathSync(join(root, "apps", "demo")) !== realpathSync(packageDir)) return undefined;
  } catch {
    return undefined;
  }
  return existsSync(join(root, "scripts", "engine.sh")) ? root : undefined;
}
