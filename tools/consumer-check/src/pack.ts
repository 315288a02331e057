// Builds the publishable packages (turbo: a cache hit when scripts/test.sh built them already) and packs each
// with `pnpm pack`, which is what `pnpm publish` uploads: `workspace:` ranges replaced, only `files` included.

import { run } from "./exec.ts";
import { packageManagerEnv, repoRoot } from "./workspace.ts";
import type { WorkspacePackage } from "./workspace.ts";

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the tarball. */
  readonly tarball: string;
  /** Paths inside the tarball, relative to `package/`. */
  readonly files: readonly string[];
}

interface PnpmPackJson {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** `turbo run build` for these packages (and what they depend on); returns how long it took. */
export async function buildPackages(packages: readonly WorkspacePackage[]): Promise<number> {
  const filters = packages.map((pkg) => `--filter=${pkg.name}`);
  const { ms } = await run("pnpm", ["exec", "turbo", "run", "build", ...filters, "--output-logs=errors-only"], {
    cwd: repoRoot,
    env: packageManagerEnv(),
    timeoutMs: 300_000,
  });
  return ms;
}

/** Packs each package into `destination`, in parallel. */
export async function packPackages(packages: readonly WorkspacePackage[], destination: string): Promise<PackedPackage[]> {
  return Promise.all(
    packages.map(async (pkg) => {
      const { stdout } = await run("pnpm", ["pack", "--json", "--pack-destination", destination], { cwd: pkg.path, env: packageManagerEnv() });
      const packed = JSON.parse(stdout) as PnpmPackJson;
      return { name: packed.name, version: packed.version, tarball: packed.filename, files: packed.files.map((file) => file.path).sort() };
    }),
  );
}
