// Type-checks examples with the repository's tsc, against the workspace packages' sources: the examples are
// written to a temporary directory whose node_modules is this package's (where pnpm links every @chutes
// package), under a tsconfig that extends tsconfig.base.json, so `@chutes/*` resolves through the
// `@chutes/source` condition exactly as in the packages' own typecheck. No build is needed.

import { execFile } from "node:child_process";
import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import type { Example } from "./extract.ts";

/** The repository root (this file is `tools/readme-check/src/typecheck.ts`). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");

const packageRoot = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
const tscBin = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

export interface WrittenExample {
  readonly example: Example;
  /** Absolute path of the example's `.ts` file. */
  readonly path: string;
}

/** A tsc diagnostic, its position mapped back to the README. */
export interface Diagnostic {
  /** `packages/x/README.md:12:5`. */
  readonly where: string;
  readonly code: string;
  readonly message: string;
}

/** A file name for an example: `packages/image-core/README.md` #1 → `packages-image-core-README-1.ts`. */
export function exampleFileName(example: Example): string {
  return `${example.file.replace(/\.md$/i, "").replace(/[^A-Za-z0-9]+/g, "-")}-${String(example.index)}.ts`;
}

/** Writes the examples and a tsconfig into a new temporary directory. */
export async function writeExamples(examples: readonly Example[]): Promise<{ dir: string; written: WrittenExample[] }> {
  const dir = await mkdtemp(join(tmpdir(), "chutes-readme-examples-"));
  await symlink(join(packageRoot, "node_modules"), join(dir, "node_modules"), "dir");
  const written: WrittenExample[] = [];
  for (const example of examples) {
    const path = join(dir, exampleFileName(example));
    await writeFile(path, example.code);
    written.push({ example, path });
  }
  const tsconfig = {
    extends: join(repoRoot, "tsconfig.base.json"),
    compilerOptions: { typeRoots: [join(repoRoot, "node_modules", "@types")] },
    files: written.map((item) => item.path),
  };
  await writeFile(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return { dir, written };
}

/** Runs tsc on the directory; returns each example's diagnostics (diagnostics in package sources are not theirs). */
export function typecheckExamples(dir: string, written: readonly WrittenExample[]): Promise<Map<string, Diagnostic[]>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [tscBin, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && error.code !== 1 && error.code !== 2) {
        reject(new Error(`tsc failed to run: ${error.message}\n${stdout}\n${stderr}`));
        return;
      }
      resolve(parseDiagnostics(stdout, dir, written));
    });
  });
}

/**
 * Groups tsc's `--pretty false` output (`file(line,col): error TSnnnn: message`, continuation lines indented);
 * tsc prints paths relative to `cwd`.
 */
export function parseDiagnostics(output: string, cwd: string, written: readonly WrittenExample[]): Map<string, Diagnostic[]> {
  const byPath = new Map(written.map((item) => [item.path, item]));
  const result = new Map<string, Diagnostic[]>(written.map((item) => [item.path, []]));
  let current: { path: string; diagnostic: Diagnostic } | undefined;
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (match !== null) {
      const [, path = "", row = "0", column = "0", code = "", message = ""] = match;
      const item = byPath.get(resolvePath(cwd, path));
      current = undefined;
      if (item === undefined) continue;
      const where = `${item.example.file}:${String(item.example.line + Number(row) - 1)}:${column}`;
      current = { path: item.path, diagnostic: { where, code, message } };
      result.get(item.path)?.push(current.diagnostic);
    } else if (current !== undefined && line.startsWith(" ")) {
      const list = result.get(current.path) ?? [];
      const last = list.pop();
      if (last !== undefined) list.push({ ...last, message: `${last.message}\n${line}` });
    }
  }
  return result;
}
