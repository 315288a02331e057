// Every package README's examples type-check against the workspace sources; the pure ones also run.

import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { extractExamples } from "../src/extract.ts";
import type { Example } from "../src/extract.ts";
import { repoRoot, typecheckExamples, writeExamples } from "../src/typecheck.ts";
import type { Diagnostic, WrittenExample } from "../src/typecheck.ts";

/**
 * READMEs whose examples only compute (no file system, network or engine): these are also imported, which runs
 * them. The others are type-checked only.
 */
const RUNNABLE = new Set(["README.md", "packages/image-core/README.md", "packages/dockerfile/README.md", "packages/presets/README.md"]);

const packageDirs = (await readdir(join(repoRoot, "packages"), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
const readmes = ["README.md", ...packageDirs.map((name) => `packages/${name}/README.md`)];
const examples: Example[] = [];
for (const file of readmes) examples.push(...extractExamples(await readFile(join(repoRoot, file), "utf8"), file));

/** A wrong example, type-checked with the others: proves the check reports errors, at the README's line. */
const probe: Example = {
  file: "(self-test)",
  line: 100,
  index: 1,
  reason: "probe",
  code: 'import { Image } from "@chutes/image-core";\n\nexport const tag: number = new Image("u", "n").toJSON().ref.tag;\n',
};

let dir: string;
let written: WrittenExample[];
let diagnostics: Map<string, Diagnostic[]>;

beforeAll(async () => {
  ({ dir, written } = await writeExamples([...examples, probe]));
  diagnostics = await typecheckExamples(dir, written);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function format(list: readonly Diagnostic[]): string {
  return list.map((d) => `${d.where}: ${d.code}: ${d.message}`).join("\n");
}

const label = (example: Example): string => `${example.file}:${String(example.line)} (example ${String(example.index)}, ${example.reason})`;

describe("the check itself", () => {
  it("reports a type error in an example at its README line", () => {
    const found = written.find((item) => item.example === probe);
    expect(diagnostics.get(found?.path ?? "")?.map((d) => [d.where, d.code])).toEqual([["(self-test):102:14", "TS2322"]]);
  });
});

describe("every package README", () => {
  it.each(packageDirs)("packages/%s/README.md has an example", (name) => {
    expect(examples.filter((example) => example.file === `packages/${name}/README.md`).length).toBeGreaterThan(0);
  });
});

describe.each(examples.map((example) => [label(example), example] as const))("%s", (_, example) => {
  const item = (): WrittenExample => {
    const found = written.find((candidate) => candidate.example === example);
    if (found === undefined) throw new Error(`example not written: ${label(example)}`);
    return found;
  };

  it("type-checks", () => {
    expect(format(diagnostics.get(item().path) ?? [])).toBe("");
  });

  if (RUNNABLE.has(example.file)) {
    it("runs without throwing", async () => {
      const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
      try {
        await import(/* @vite-ignore */ pathToFileURL(item().path).href);
        expect(log).toHaveBeenCalled();
      } finally {
        log.mockRestore();
      }
    });
  }
});
