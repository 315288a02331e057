// ADD and COPY: flags, then the sources and the destination.
//
// BuildKit runs every source and the destination through the shell lexer, in the plain form and in the JSON
// form alike, so each path is written as a lexer word (quotes and backslashes escaped, expansions kept). The
// plain form is split at blanks and could start with a flag or a JSON array; the JSON form is used whenever a
// path contains whitespace, a quote or a backslash, starts with `[` or `--`, or is empty.

import type { AddStep, CopyFromStep, CopyStep } from "@chutes/image-core";
import { requireNonEmpty, requireSingleLine } from "./checks.ts";
import { unrenderable } from "./errors.ts";
import type { StepContext } from "./errors.ts";
import { flag } from "./flags.ts";
import { GO_SPACE } from "./go-text.ts";
import { jsonArray, lexerWord } from "./quote.ts";

/** `ADD`, `COPY` or `COPY --from=<stage>` with every option the step sets, in a fixed order. */
export function renderCopy(step: AddStep | CopyStep | CopyFromStep, where: StepContext): string {
  const flags: string[] = [];
  if (step.kind === "copyFrom") flags.push(`--from=${step.stage}`);
  if (step.chown !== undefined) flags.push(flag(where, "chown", "chown", step.chown));
  if (step.chmod !== undefined) flags.push(flag(where, "chmod", "chmod", step.chmod));
  (step.exclude ?? []).forEach((pattern, index) => {
    flags.push(flag(where, `exclude[${index}]`, "exclude", pattern));
  });
  if (step.kind === "add") {
    if (step.checksum !== undefined) flags.push(flag(where, "checksum", "checksum", step.checksum));
    if (step.keepGitDir === true) flags.push("--keep-git-dir=true");
  }

  requireNonEmpty(where, "sources", step.sources, "a copy needs at least one source");
  const paths = [...step.sources, step.dest];
  const fields = [...step.sources.map((_, index) => `sources[${index}]`), "dest"];
  const words = paths.map((path, index) => {
    const field = fields[index] ?? "dest";
    requireSingleLine(where, field, path);
    return lexerWord(path, (problem) => unrenderable(where, field, path, problem, "Fix the path."));
  });
  const args = paths.some(needsJsonForm) ? jsonArray(words) : words.join(" ");
  return [step.kind === "add" ? "ADD" : "COPY", ...flags, args].join(" ");
}

function needsJsonForm(path: string): boolean {
  return (
    path === "" ||
    GO_SPACE.test(path) ||
    /["'\\]/.test(path) ||
    path.startsWith("[") ||
    path.startsWith("--")
  );
}
