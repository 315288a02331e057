// The workspace as pnpm sees it: which packages exist, which are published, where the repository's tools are.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./exec.ts";

/** The repository root (this file is `tools/consumer-check/src/workspace.ts`). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");

const require = createRequire(import.meta.url);

/** The repository's TypeScript compiler (root devDependency), run with `node`. */
export const tscBin = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");

/** The repository's changesets CLI (root devDependency), run with `node`. */
export const changesetBin = join(dirname(dirname(require.resolve("@changesets/cli"))), "bin.js");

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  /** Absolute. */
  readonly path: string;
  readonly private: boolean;
}

interface PnpmListEntry {
  readonly name?: string;
  readonly version?: string;
  readonly path: string;
  readonly private?: boolean;
}

/** Every workspace package except the root, from `pnpm ls -r`, sorted by name. */
export async function workspacePackages(): Promise<WorkspacePackage[]> {
  const { stdout } = await run("pnpm", ["ls", "-r", "--depth", "-1", "--json"], { cwd: repoRoot });
  const entries = JSON.parse(stdout) as PnpmListEntry[];
  return entries
    .filter((entry) => entry.path !== repoRoot && entry.name !== undefined)
    .map((entry) => ({ name: entry.name ?? "", version: entry.version ?? "0.0.0", path: entry.path, private: entry.private === true }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The packages a release publishes: every workspace package that is not private. */
export async function publishablePackages(): Promise<WorkspacePackage[]> {
  return (await workspacePackages()).filter((pkg) => !pkg.private);
}

/**
 * The environment for a package manager run from inside a test: without the `npm_config_*` / `pnpm_config_*`
 * variables that `pnpm exec` and `pnpm run` set for their children (npm warns about them, and the user agent is
 * pnpm's), but keeping the ones that say how to reach the registry.
 */
export function packageManagerEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|.*proxy|cafile|ca|strict_ssl|userconfig|cache)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !keep.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
