// The engine-recorded .dockerignore cases (fixtures.json, written by scripts/conformance/generate.mjs), and
// what the tests need to replay them: the tree on disk and a reference walk over it.

import { readFileSync } from "node:fs";
import { lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { dockerTransportProblem, parseDockerignore } from "../../src/dockerignore.ts";
import type { IgnoreRule } from "../../src/dockerignore.ts";
import { IgnoreMatcher } from "../../src/matcher.ts";
import type { MatchResult } from "../../src/matcher.ts";

/** One case with the engine's answer: `expected` (and `links`) when the build succeeded, else `error`. */
export interface ConformanceCase {
  readonly id: string;
  readonly rules: readonly number[];
  readonly why: string;
  /** `path` a file, `path/` a directory, `path -> target` a symlink. */
  readonly tree: readonly string[];
  readonly files?: Readonly<Record<string, string>>;
  readonly dockerignore: string | null;
  readonly dockerfile?: string;
  readonly expected?: readonly string[];
  readonly links?: Readonly<Record<string, string>>;
  readonly error?: string;
}

export interface Fixtures {
  readonly engine: string;
  readonly dockerfile: string;
  readonly rules: Readonly<Record<string, string>>;
  readonly cases: readonly ConformanceCase[];
}

export const FIXTURES_PATH = new URL("./fixtures.json", import.meta.url);

export function loadFixtures(): Fixtures {
  return JSON.parse(readFileSync(FIXTURES_PATH, "utf8")) as Fixtures;
}

/** The error the engine gives for a pattern it cannot send to the walker (see `dockerTransportProblem`). */
export const TRANSPORT_ERROR = "contains value with non-printable ASCII characters";

/** Writes a case's tree, its `.dockerignore` and its Dockerfile under `root` (like generate.mjs). */
export async function materialize(root: string, c: ConformanceCase, dockerfileText: string): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const entry of c.tree) {
    const arrow = entry.indexOf(" -> ");
    if (arrow >= 0) {
      const path = join(root, entry.slice(0, arrow));
      await mkdir(dirname(path), { recursive: true });
      await symlink(entry.slice(arrow + 4), path);
    } else if (entry.endsWith("/")) {
      await mkdir(join(root, entry), { recursive: true });
    } else {
      const path = join(root, entry);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, entry === c.dockerfile ? dockerfileText : (c.files?.[entry] ?? `${entry}\n`));
    }
  }
  if (c.dockerignore !== null) await writeFile(join(root, ".dockerignore"), c.dockerignore);
}

/** BuildKit's choice: `<Dockerfile>.dockerignore` when it exists, else `.dockerignore` at the root, else none. */
export async function readIgnoreRules(root: string, c: ConformanceCase): Promise<IgnoreRule[] | undefined> {
  const candidates = c.dockerfile === undefined ? [".dockerignore"] : [`${c.dockerfile}.dockerignore`, ".dockerignore"];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(join(root, candidate), "utf8");
    } catch {
      continue;
    }
    return parseDockerignore(text, candidate);
  }
  return undefined;
}

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export interface Listing {
  readonly paths: readonly string[];
  readonly links: Readonly<Record<string, string>>;
}

interface Ancestor {
  readonly path: string;
  emitted: boolean;
}

/**
 * The minimal walk fsutil does: parents before children, siblings in byte order, symlinks never followed. A
 * kept entry is listed after any excluded ancestor not yet listed; an excluded directory is entered only when
 * `mayMatchUnder` says an exception could keep something below it.
 */
export async function referenceWalk(root: string, rules: readonly IgnoreRule[] | undefined): Promise<Listing> {
  const matcher = rules === undefined || rules.length === 0 ? undefined : new IgnoreMatcher(rules);
  const paths: string[] = [];
  const links: Record<string, string> = {};
  const visit = async (abs: string, rel: string, parent: MatchResult | undefined, ancestors: Ancestor[]): Promise<void> => {
    const names = (await readdir(abs)).sort(byteOrder);
    for (const name of names) {
      const path = rel === "" ? name : `${rel}/${name}`;
      const full = join(abs, name);
      const st = await lstat(full);
      const isDir = st.isDirectory();
      const result = matcher === undefined ? { excluded: false } : matcher.match(path, parent);
      if (result.excluded) {
        if (isDir && matcher?.mayMatchUnder(path) === true) {
          await visit(full, path, result, [...ancestors, { path, emitted: false }]);
        }
        continue;
      }
      for (const ancestor of ancestors) {
        if (ancestor.emitted) continue;
        paths.push(`${ancestor.path}/`);
        ancestor.emitted = true;
      }
      if (isDir) {
        paths.push(`${path}/`);
        await visit(full, path, result, [...ancestors, { path, emitted: true }]);
      } else {
        if (st.isSymbolicLink()) links[path] = await readlink(full);
        paths.push(path);
      }
    }
  };
  await visit(root, "", undefined, []);
  paths.sort(byteOrder);
  const sortedLinks = Object.fromEntries(Object.entries(links).sort(([a], [b]) => byteOrder(a, b)));
  return { paths, links: sortedLinks };
}

/** What our implementation says about a case: a listing, or an error like the engine's. */
export async function replay(root: string, c: ConformanceCase): Promise<Listing | { readonly error: string }> {
  let rules: IgnoreRule[] | undefined;
  try {
    rules = await readIgnoreRules(root, c);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (rules !== undefined && dockerTransportProblem(rules) !== undefined) return { error: TRANSPORT_ERROR };
  return referenceWalk(root, rules);
}
