// A fresh project outside the repository, as a user would make one: `npm install` of the packed tarballs, with
// their third-party dependencies from the registry. Nothing is cached in the repository; npm's own cache
// (~/.npm) is used as it would be on the user's machine.

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./exec.ts";
import { packageManagerEnv, repoRoot } from "./workspace.ts";

export interface ConsumerProject {
  /** The project directory, in the system's temporary directory. */
  readonly dir: string;
  /** Wall-clock time of `npm install`. */
  readonly installMs: number;
}

/** Makes an empty temporary directory for a check; `prefix` names it. */
export function temporaryDirectory(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `chutes-${prefix}-`));
}

/** The `@types/node` range the repository is developed with, so TypeScript consumers see the same Node API. */
export async function typesNodeRange(): Promise<string> {
  const root = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
  return root.devDependencies?.["@types/node"] ?? "^20.11.0";
}

/**
 * Creates a project and installs `tarballs` into it, all in one `npm install` (so the peer dependency
 * `@chutes/image-core` is satisfied by its tarball, and `@chutes/context` for `@chutes/buildkit` too), plus
 * `extra` registry packages.
 */
export async function createConsumerProject(tarballs: readonly string[], extra: readonly string[] = []): Promise<ConsumerProject> {
  const dir = await temporaryDirectory("consumer");
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name: "chutes-consumer", version: "0.0.0", private: true }, null, 2)}\n`);
  const { ms } = await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs, ...extra], {
    cwd: dir,
    env: packageManagerEnv(),
    timeoutMs: 150_000,
  });
  return { dir, installMs: ms };
}
