// A copy of what a release reads, made in a temporary directory so that `changeset version` and
// `pnpm publish --dry-run` run for real without touching the repository: the root package.json and
// pnpm-workspace.yaml, `.changeset/`, and every workspace package's package.json, README, CHANGELOG and
// published `files`. It is a git repository of one commit on `main` (the config's baseBranch), because
// `changeset status` asks git what changed since then.

import { access, cp, mkdir, readFile, symlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { run } from "./exec.ts";
import { repoRoot } from "./workspace.ts";
import type { WorkspacePackage } from "./workspace.ts";

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

interface Manifest {
  readonly name: string;
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as Manifest;
}

/**
 * Copies the release inputs of the workspace into `destination` (an empty directory). Publishable packages must
 * be built: their `files` (dist) are copied, and a missing one is an error.
 */
export async function copyReleaseInputs(packages: readonly WorkspacePackage[], destination: string): Promise<void> {
  for (const file of ["package.json", "pnpm-workspace.yaml"]) await cp(join(repoRoot, file), join(destination, file));
  await cp(join(repoRoot, ".changeset"), join(destination, ".changeset"), { recursive: true });

  for (const pkg of packages) {
    const target = join(destination, relative(repoRoot, pkg.path));
    await mkdir(target, { recursive: true });
    const manifest = await readManifest(pkg.path);
    const extras = ["package.json", "README.md", "CHANGELOG.md", "LICENSE"];
    const published = pkg.private ? [] : (manifest.files ?? []);
    for (const entry of [...extras, ...published]) {
      const source = join(pkg.path, entry);
      if (await exists(source)) {
        await cp(source, join(target, entry), { recursive: true });
      } else if (published.includes(entry)) {
        throw new Error(`${pkg.name}: "${entry}" (in its "files") does not exist; build the packages first (pnpm build)`);
      }
    }
  }

  // pnpm publish replaces a `workspace:` range with the version it finds in the package's node_modules, so link
  // each workspace dependency where `pnpm install` would.
  for (const pkg of packages) {
    const dir = join(destination, relative(repoRoot, pkg.path));
    const manifest = await readManifest(dir);
    const linked = new Set<string>();
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (!range.startsWith("workspace:") || linked.has(name)) continue;
        const dependency = packages.find((candidate) => candidate.name === name);
        if (dependency === undefined) throw new Error(`${pkg.name} depends on ${name} through "${range}", which is not in the workspace`);
        const link = join(dir, "node_modules", name);
        await mkdir(dirname(link), { recursive: true });
        await symlink(relative(dirname(link), join(destination, relative(repoRoot, dependency.path))), link, "dir");
        linked.add(name);
      }
    }
  }

  const git = (...args: string[]) => run("git", ["-c", "user.name=consumer-check", "-c", "user.email=consumer-check@localhost", ...args], { cwd: destination });
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", "--all");
  await git("commit", "--quiet", "--no-gpg-sign", "--message=release inputs");
}
