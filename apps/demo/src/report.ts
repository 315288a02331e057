// How the commands report a definition's problems: one line per issue, with the file relative to the working
// directory and the builder call's line, under a header that names the command and the file.

import { relative } from "node:path";
import { ChutesError, ValidationError, formatIssue } from "@chutes/image-core";
import type { Issue } from "@chutes/image-core";

/** A path as the user would type it from `cwd` (the absolute path when it is outside). */
export function displayPath(file: string, cwd: string): string {
  return relative(cwd, file) || file;
}

/** The issue with its location's file relative to `cwd`. */
export function relativeLocation(issue: Issue, cwd: string): Issue {
  if (!issue.location) return issue;
  return { ...issue, location: { ...issue.location, file: displayPath(issue.location.file, cwd) } };
}

/**
 * Writes a `ValidationError` (every issue) or another `ChutesError` (its message) for `chutes-image <command>` and
 * returns exit code 1; returns undefined for any other error, which the caller handles.
 */
export function reportDefinitionError(
  command: string,
  file: string,
  error: unknown,
  io: { readonly stderr: { write(text: string): unknown }; readonly cwd: string },
): 1 | undefined {
  if (error instanceof ValidationError) {
    io.stderr.write(`chutes-image ${command}: ${file} has ${error.issues.length} problem${error.issues.length === 1 ? "" : "s"}:\n`);
    for (const issue of error.issues) io.stderr.write(`  ${formatIssue(relativeLocation(issue, io.cwd))}\n`);
    return 1;
  }
  if (error instanceof ChutesError) {
    io.stderr.write(`chutes-image ${command}: ${error.message}\n`);
    return 1;
  }
  return undefined;
}
