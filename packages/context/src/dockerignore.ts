// Reading a `.dockerignore` file as current Docker does: moby/patternmatcher's `ignorefile.ReadAll` followed by
// the cleaning `patternmatcher.New` applies again, so every rule here is one pattern the engine would use.

import { ContextError } from "./errors.ts";
import { PatternSyntaxError, compilePattern } from "./pattern.ts";

/** One pattern of a `.dockerignore` file. */
export interface IgnoreRule {
  /** The 1-based line in the file. */
  readonly line: number;
  /** The line as written (without its line ending), for explanations. */
  readonly text: string;
  /** The cleaned pattern, without `!`: what is matched against paths. */
  readonly pattern: string;
  /** A `!` line: a path it matches is re-included. */
  readonly exclusion: boolean;
}

// Go's unicode.IsSpace: ASCII space, \t \n \v \f \r, U+0085, U+00A0 and Unicode White_Space. Unlike
// JavaScript's trim(), U+FEFF is not a space and U+0085 is.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(text: string): string {
  return text.replace(GO_SPACE, "");
}

/** Go's `path.Clean` (and `filepath.Clean` on Unix): lexical, `""` becomes `"."`. */
export function goCleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts.at(-1) !== "..") parts.pop();
      else if (!rooted) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** The lines of a file as Go's `bufio.ScanLines` splits them: on `\n`, dropping one `\r` before it. */
function scanLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/**
 * What moby/patternmatcher's `ignorefile.ReadAll` makes of one line (after the BOM and comment checks): the
 * trimmed, cleaned pattern with its `!`, or undefined for an empty line. BuildKit sends these strings to the
 * client that walks the context.
 */
function readIgnoreLine(line: string): string | undefined {
  let pattern = goTrimSpace(line);
  if (pattern === "") return undefined;
  const invert = pattern.startsWith("!");
  if (invert) pattern = goTrimSpace(pattern.slice(1));
  if (pattern.length > 0) {
    pattern = goCleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith("/")) pattern = pattern.slice(1);
  }
  return invert ? `!${pattern}` : pattern;
}

/**
 * Parses a `.dockerignore` file into its rules, in order (the last rule that matches a path decides).
 *
 * - A UTF-8 byte order mark before the first line is dropped; lines end at `\n` (a `\r` before it is dropped).
 * - A line whose first character is `#` is a comment; a `#` after leading spaces is part of a pattern.
 * - Surrounding white space is trimmed (Go's definition, which includes U+00A0); empty lines are skipped.
 * - A leading `!` (then trimmed again) makes an exclusion rule.
 * - The pattern is cleaned like Go's `filepath.Clean` (`./a`, `a/`, `a//b`, `a/../b`), and one leading `/` is
 *   removed: patterns are relative to the context root.
 *
 * Throws a `ContextError` with code `invalid-dockerignore` (naming `source`, the line and its text) for a line
 * Docker rejects: a lone `!`, a malformed `[...]` class, a trailing `\`, or a class or escape Go's regular
 * expressions refuse (`[z-a]`, `[[:nope:]]`, `\q`). Docker itself reports the last kind only once a path is
 * matched against the line; this reports it always. See also `dockerTransportProblem`.
 */
export function parseDockerignore(text: string, source = ".dockerignore"): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  scanLines(text).forEach((raw, index) => {
    const line = index + 1;
    const written = index === 0 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
    if (written.startsWith("#")) return;
    const fail = (why: string, cause?: unknown): never => {
      throw new ContextError(
        "invalid-dockerignore",
        `${source}:${line}: invalid pattern ${JSON.stringify(written)}: ${why}`,
        { path: source, line },
        cause === undefined ? {} : { cause },
      );
    };
    const read = readIgnoreLine(written);
    if (read === undefined) return;

    // What patternmatcher.New does with it: trim and clean again, then take the `!`.
    let pattern = goTrimSpace(read);
    if (pattern === "") return;
    pattern = goCleanPath(pattern);
    let exclusion = false;
    if (pattern.startsWith("!")) {
      if (pattern.length === 1) fail('illegal exclusion pattern: "!"');
      exclusion = true;
      pattern = pattern.slice(1);
    }
    try {
      compilePattern(pattern);
    } catch (error) {
      if (error instanceof PatternSyntaxError) fail(error.message, error);
      throw error;
    }
    rules.push({ line, text: written, pattern, exclusion });
  });
  return rules;
}

/** An ASCII control character: grpc-go refuses it in a header value. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** BuildKit percent-encodes every pattern when one of them holds a non-ASCII character, else sends them as is. */
function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * The rule that makes `docker build` fail before any file is sent, with Docker 26 / BuildKit 0.13
 * (`header key "exclude-patterns" contains value with non-printable ASCII characters`), or undefined.
 *
 * BuildKit hands the patterns to the client that walks the context as gRPC header values, which must be
 * printable ASCII. It percent-encodes all of them when any holds a non-ASCII character, so only a pattern with an
 * ASCII control character (a tab or a lone `\r` inside it, say) in a file whose patterns are otherwise all ASCII
 * fails. The rule still has a well-defined meaning, which `IgnoreMatcher` applies.
 */
export function dockerTransportProblem(rules: readonly IgnoreRule[]): IgnoreRule | undefined {
  const sent = rules.map((rule) => readIgnoreLine(rule.text) ?? "");
  if (sent.some(hasNonAscii)) return undefined;
  return rules.find((_, i) => hasControl(sent[i] ?? ""));
}
