// One `.dockerignore` pattern, compiled the way moby/patternmatcher compiles it.
//
// patternmatcher does not match globs with Go's `filepath.Match`; it only calls it to reject malformed
// patterns, then turns the pattern into one of four matchers: an exact string, a prefix (a pattern that ends
// in `**` after literal text), a suffix (a pattern that starts with `**` before literal text), or an anchored
// RE2 regular expression. The first three are not the same as the regular expression would be (`**foo` is a
// plain suffix test, so it matches `barfoo`), so they are kept as they are.

import { Re2SyntaxError, translateGoRegexp } from "./re2.ts";

/** How a compiled pattern tests a path. */
export type PatternKind = "exact" | "prefix" | "suffix" | "regexp";

export interface CompiledPattern {
  readonly kind: PatternKind;
  /** The Go regular expression patternmatcher builds (for `regexp`; the other kinds never build one). */
  readonly goRegexp?: string;
  readonly test: (path: string) => boolean;
}

/** The pattern is malformed; `message` says how, in Go's words where Go has some. */
export class PatternSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatternSyntaxError";
  }
}

// Characters patternmatcher escapes because they mean something in a regular expression but not in a glob.
// Its list is `.+()|{}$`, but it keeps it in an 8-byte bitmap indexed by `1 << (c / 8)`, which overflows for
// characters from 64 on: `|`, `{` and `}` are never escaped and act as regexp syntax (`*.js|*.ts` is an
// alternation, `a{2}*` a repetition). The engine confirms it (cases meta-pipe-alternation, meta-brace-repeat).
const ESCAPED = new Set([".", "+", "(", ")", "$"]);

/**
 * Rejects what Go's `filepath.Match` rejects (`filepath.ErrBadPattern`): a trailing `\`, and a `[` class that is
 * unterminated, empty (`[]`, `[^]`), starts a range with `-` or `]`, or has a range with no upper bound.
 */
export function checkGlobSyntax(pattern: string): void {
  const chars = Array.from(pattern);
  const bad = (why: string): never => {
    throw new PatternSyntaxError(`syntax error in pattern (${why})`);
  };
  let i = 0;
  // Go's getEsc: one class character, possibly escaped, that must not be the last of the pattern.
  const classChar = (): void => {
    const c = chars[i];
    if (c === undefined) bad("unterminated [");
    if (c === "-" || c === "]") bad(`"${c}" cannot start a range in [...]`);
    if (c === "\\") {
      i++;
      if (chars[i] === undefined) bad("unterminated [");
    }
    i++;
    if (i >= chars.length) bad("unterminated [");
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === "\\") {
      if (i + 1 >= chars.length) bad("trailing \\");
      i += 2;
    } else if (c === "[") {
      i++;
      if (chars[i] === "^") i++;
      let ranges = 0;
      for (;;) {
        if (chars[i] === "]" && ranges > 0) {
          i++;
          break;
        }
        classChar();
        if (chars[i] === "-") {
          i++;
          classChar();
        }
        ranges++;
      }
    } else {
      i++;
    }
  }
}

/** The Go regular expression and matcher kind patternmatcher's `compile` derives from a cleaned pattern. */
function goCompile(pattern: string): { kind: PatternKind; goRegexp: string } {
  const chars = Array.from(pattern);
  let re = "^";
  let kind: PatternKind = "exact";
  let pos = 0;
  for (let i = 0; pos < chars.length; i++) {
    const ch = chars[pos++] ?? "";
    if (ch === "*") {
      if (chars[pos] === "*") {
        pos++;
        // `**/` is read as `**`: the slash is eaten.
        if (chars[pos] === "/") pos++;
        if (pos >= chars.length) {
          // A trailing `**` accepts everything, like .gitignore.
          if (kind === "exact") {
            kind = "prefix";
          } else {
            re += ".*";
            kind = "regexp";
          }
        } else {
          re += "(.*/)?";
          kind = "regexp";
        }
        if (i === 0) kind = "suffix";
      } else {
        re += "[^/]*";
        kind = "regexp";
      }
    } else if (ch === "?") {
      re += "[^/]";
      kind = "regexp";
    } else if (ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === "\\") {
      const next = chars[pos];
      if (next === undefined) {
        re += "\\";
      } else {
        pos++;
        re += `\\${next}`;
        kind = "regexp";
      }
    } else if (ch === "[" || ch === "]") {
      re += ch;
      kind = "regexp";
    } else {
      re += ch;
    }
  }
  return { kind, goRegexp: `${re}$` };
}

/**
 * Compiles a cleaned pattern (no `!`) as patternmatcher does. Throws `PatternSyntaxError` when Go would reject
 * it, either in `filepath.Match` or (lazily, at the first match) in `regexp.Compile`.
 */
export function compilePattern(pattern: string): CompiledPattern {
  checkGlobSyntax(pattern);
  const { kind, goRegexp } = goCompile(pattern);
  switch (kind) {
    case "exact":
      return { kind, test: (path) => path === pattern };
    case "prefix": {
      const prefix = pattern.slice(0, -2);
      return { kind, test: (path) => path.startsWith(prefix) };
    }
    case "suffix": {
      const suffix = pattern.slice(2);
      // `**/foo` also matches `foo` itself.
      return { kind, test: (path) => path.endsWith(suffix) || (suffix.startsWith("/") && path === suffix.slice(1)) };
    }
    case "regexp": {
      let source: string;
      try {
        source = translateGoRegexp(goRegexp);
      } catch (error) {
        if (error instanceof Re2SyntaxError) throw new PatternSyntaxError(error.message);
        throw error;
      }
      const regexp = new RegExp(source, "u");
      return { kind, goRegexp, test: (path) => regexp.test(path) };
    }
  }
}
