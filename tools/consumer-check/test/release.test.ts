// The release, rehearsed on a copy of its inputs: `changeset status` (the plan), `changeset version` (apply it)
// and `pnpm publish -r --dry-run` (what would be uploaded). The repository itself is only read.

import { readFile, readdir, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryDirectory } from "../src/consumer-project.ts";
import { run } from "../src/exec.ts";
import { copyReleaseInputs } from "../src/release-copy.ts";
import { changesetBin, packageManagerEnv, repoRoot, workspacePackages } from "../src/workspace.ts";
import type { WorkspacePackage } from "../src/workspace.ts";

type BumpType = "none" | "patch" | "minor" | "major";

/** `changeset status --output`'s JSON (the release plan of @changesets/types). */
interface ReleasePlan {
  readonly changesets: readonly { readonly id: string; readonly summary: string; readonly releases: readonly { readonly name: string; readonly type: BumpType }[] }[];
  readonly releases: readonly { readonly name: string; readonly type: BumpType; readonly oldVersion: string; readonly newVersion: string; readonly changesets: readonly string[] }[];
}

const BUMP_ORDER: readonly BumpType[] = ["none", "patch", "minor", "major"];

let packages: WorkspacePackage[];
let copy: string;
/** What afterAll removes (kept with CHUTES_KEEP_CONSUMER=1). */
const created: string[] = [];
let plan: ReleasePlan;
let verbose: string;
let published: { name: string; version: string }[];
const timings: Record<string, number> = {};

beforeAll(async () => {
  packages = await workspacePackages();
  copy = await temporaryDirectory("release");
  created.push(copy);
  await copyReleaseInputs(packages, copy);
  const env = packageManagerEnv({ NO_COLOR: "1" });
  const changeset = (...args: string[]) => run(process.execPath, [changesetBin, ...args], { cwd: copy, env });

  const status = await changeset("status", "--verbose");
  verbose = `${status.stdout}\n${status.stderr}`;
  await changeset("status", "--output=release-plan.json");
  plan = JSON.parse(await readFile(join(copy, "release-plan.json"), "utf8")) as ReleasePlan;
  await rm(join(copy, "release-plan.json"));
  timings.status = status.ms;

  timings.version = (await changeset("version")).ms;

  const publish = await run("pnpm", ["publish", "--recursive", "--dry-run", "--no-git-checks", "--report-summary"], { cwd: copy, env, timeoutMs: 120_000 });
  timings.publish = publish.ms;
  const summary = JSON.parse(await readFile(join(copy, "pnpm-publish-summary.json"), "utf8")) as { publishedPackages: { name: string; version: string }[] };
  published = summary.publishedPackages.map(({ name, version }) => ({ name, version })).sort((a, b) => (a.name < b.name ? -1 : 1));
});

afterAll(async () => {
  console.info(
    `consumer-check: changeset status ${String(timings.status)} ms, changeset version ${String(timings.version)} ms, pnpm publish --dry-run ${String(timings.publish)} ms`,
  );
  if (process.env.CHUTES_KEEP_CONSUMER === "1") return;
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

function publishable(): WorkspacePackage[] {
  return packages.filter((pkg) => !pkg.private);
}

function releaseOf(name: string): ReleasePlan["releases"][number] | undefined {
  return plan.releases.find((release) => release.name === name);
}

/** The highest bump the changesets ask for `name` (none when no changeset names it). */
function askedBump(name: string): BumpType {
  let asked: BumpType = "none";
  for (const changeset of plan.changesets) {
    for (const release of changeset.releases) {
      if (release.name === name && BUMP_ORDER.indexOf(release.type) > BUMP_ORDER.indexOf(asked)) asked = release.type;
    }
  }
  return asked;
}

describe("changeset status", () => {
  it("plans a first release, with a changeset of its own, for every package that was never released", () => {
    const missing = publishable()
      .filter((pkg) => pkg.version === "0.0.0")
      .filter((pkg) => (releaseOf(pkg.name)?.changesets.length ?? 0) === 0)
      .map((pkg) => pkg.name);
    expect(missing, "add a changeset (pnpm changeset) describing the first release of these packages").toEqual([]);
  });

  it("--verbose lists every planned package under its bump, with its new version", () => {
    for (const release of plan.releases.filter((r) => r.type !== "none")) {
      const section = verbose.split(/Packages to be bumped at /).find((part) => part.startsWith(release.type));
      expect(section, `no "${release.type}" section in:\n${verbose}`).toBeDefined();
      expect(section).toContain(`- ${release.name} ${release.newVersion}`);
    }
  });

  it("bumps no package further than its own changesets ask, beyond a patch for an updated dependency", () => {
    // changesets 2.x turns a minor bump of a peer dependency into a major bump of every dependent; on 0.x
    // versions that releases 1.0.0 of packages whose changesets asked for a minor (README: "Release plan").
    const surprises = plan.releases
      .map((release) => {
        const asked = askedBump(release.name);
        const allowed = asked === "none" ? ["none", "patch"] : [asked];
        return allowed.includes(release.type) ? undefined : `${release.name}: changesets ask for ${asked}, the plan releases ${release.type} (${release.oldVersion} -> ${release.newVersion})`;
      })
      .filter((line) => line !== undefined);
    expect(surprises).toEqual([]);
  });
});

describe("changeset version", () => {
  it("writes the planned versions and a CHANGELOG entry with each changeset's summary", async () => {
    for (const release of plan.releases.filter((r) => r.type !== "none")) {
      const pkg = packages.find((candidate) => candidate.name === release.name);
      if (pkg === undefined || pkg.private) continue;
      const dir = join(copy, relative(repoRoot, pkg.path));
      const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { version: string };
      expect(manifest.version, release.name).toBe(release.newVersion);
      const changelog = await readFile(join(dir, "CHANGELOG.md"), "utf8");
      expect(changelog).toContain(`## ${release.newVersion}`);
      for (const id of release.changesets) {
        const summary = plan.changesets.find((changeset) => changeset.id === id)?.summary ?? "";
        expect(changelog, `${release.name}: CHANGELOG.md lacks changeset ${id}`).toContain(summary.split("\n")[0]);
      }
    }
  });

  it("consumes every changeset", async () => {
    const left = (await readdir(join(copy, ".changeset"))).filter((file) => file.endsWith(".md") && file !== "README.md");
    expect(left).toEqual([]);
  });
});

describe("pnpm publish --recursive --dry-run", () => {
  it("would publish every planned package at its new version", () => {
    const planned = plan.releases
      .filter((release) => release.type !== "none" && publishable().some((pkg) => pkg.name === release.name))
      .map((release) => ({ name: release.name, version: release.newVersion }));
    expect(published).toEqual(expect.arrayContaining(planned));
  });

  it("would publish nothing private, and nothing at a version other than its package.json's", async () => {
    const wrong: string[] = [];
    for (const { name, version } of published) {
      const pkg = packages.find((candidate) => candidate.name === name);
      if (pkg === undefined || pkg.private) {
        wrong.push(`${name} is private or not in the workspace`);
        continue;
      }
      const manifest = JSON.parse(await readFile(join(copy, relative(repoRoot, pkg.path), "package.json"), "utf8")) as { version: string };
      if (manifest.version !== version) wrong.push(`${name}@${version}, but its package.json says ${manifest.version}`);
    }
    expect(wrong).toEqual([]);
  });
});
