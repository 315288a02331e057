// Lays out a folded `runCommand` (shell form, `lines` joined by single spaces) as a RUN instruction with
// ` \` continuations, or says why it must be written in exec form instead.
//
// What the Dockerfile parser (moby/buildkit frontend/dockerfile/parser) does to continuation lines, and what
// we do about it:
// - it joins `line \` + next line after removing only the backslash (and blanks after it), so `a \` +
//   `    b` reaches the shell as `a     b`: extra blanks, harmless only where the shell ignores them, so we
//   break a line only at a point that is outside quotes and not after a backslash;
// - a continuation line whose first non-blank character is `#` is dropped as a comment, and a blank one is
//   skipped: such a piece stays on the previous physical line;
// - it trims the instruction's text (Go `unicode.IsSpace`), reads leading `--words` as flags, parses a text that
//   is a JSON array as exec form, treats a last line ending in a backslash as continued (swallowing the next
//   instruction), and reads a word starting `<<` as a heredoc (swallowing the lines after it). A command that
//   would meet one of these is written in exec form with the stage's shell, which is what shell form means.

import { GO_SPACE, goTrimSpace, isGoBlank } from "./go-text.ts";

/** The physical lines of a shell-form RUN (the first follows `RUN` and its flags), or why exec form is needed. */
export type ShellLayout =
  | { readonly form: "shell"; readonly lines: readonly string[] }
  | { readonly form: "exec"; readonly reason: string };

/** Lays out `pieces` (no newline or CR in any, and not all blank: the caller checks). */
export function layoutShellCommand(pieces: readonly string[]): ShellLayout {
  const text = pieces.join(" ");
  const reason = execReason(text);
  if (reason !== undefined) return { form: "exec", reason };

  const lines: string[] = [];
  const scanner = new ShellScanner();
  let current = pieces[0] ?? "";
  scanner.feed(current);
  for (const piece of pieces.slice(1)) {
    if (scanner.canBreak() && startsContinuationLine(piece)) {
      lines.push(current);
      current = piece;
    } else {
      current += ` ${piece}`;
    }
    scanner.feed(` ${piece}`);
  }
  lines.push(current);
  return { form: "shell", lines };
}

const COMMENT_LINE = new RegExp(`^${GO_SPACE.source}*#`, "u");
/** A word the parser would read as a heredoc start: `<<WORD`, `<<-WORD`, `2<<WORD`; over-matching is safe. */
const HEREDOC_WORD = new RegExp(`(?:^|${GO_SPACE.source})[0-9]*<<(?!<)`, "u");

/** A piece can start a physical line unless the parser would skip that line (blank) or drop it (comment). */
function startsContinuationLine(piece: string): boolean {
  return !isGoBlank(piece) && !COMMENT_LINE.test(piece);
}

function execReason(text: string): string | undefined {
  const trimmed = goTrimSpace(text);
  const start = text.indexOf(trimmed);
  const edges = text.slice(0, start) + text.slice(start + trimmed.length);
  if (/[^ \t]/.test(edges)) {
    return "it starts or ends with whitespace other than spaces and tabs, which the Dockerfile parser strips";
  }
  if (trimmed.endsWith("\\")) {
    return "it ends with a backslash, which the Dockerfile parser reads as a line continuation";
  }
  if (trimmed.startsWith("--")) {
    return "it starts with `--`, which the Dockerfile parser reads as an instruction flag";
  }
  if (trimmed.startsWith("[") && isJson(trimmed)) {
    return "it is a JSON array, which the Dockerfile parser reads as exec form";
  }
  if (HEREDOC_WORD.test(text)) {
    return "it has a word starting with `<<`, which the Dockerfile parser reads as a heredoc";
  }
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

type Frame = { kind: "sq" | "dq" | "bt" | "br" } | { kind: "cs"; depth: number };

/** Characters after which an unquoted `#` starts a comment (POSIX: a `#` at the start of a word). */
const WORD_BREAKS = new Set([" ", "\t", ";", "&", "|", "(", ")", "<", ">"]);

/**
 * Follows POSIX shell quoting far enough to tell whether a break (extra blanks) at the current point is
 * harmless: not inside single or double quotes, and not right after an escaping backslash. Inside a comment
 * every point is harmless. After a `$'` (ANSI-C quoting in bash, `$` and a single quote in dash) nothing is:
 * the two shells disagree on where such a string ends.
 */
class ShellScanner {
  private readonly stack: Frame[] = [];
  private escaped = false;
  private afterDollar = false;
  private comment = false;
  private wordStart = true;
  private ansiQuote = false;

  canBreak(): boolean {
    if (this.comment) return true;
    if (this.escaped || this.afterDollar || this.ansiQuote) return false;
    return !this.stack.some((frame) => frame.kind === "sq" || frame.kind === "dq");
  }

  feed(text: string): void {
    for (const ch of text) this.step(ch);
  }

  private step(ch: string): void {
    if (this.comment || this.ansiQuote) return;
    if (this.escaped) {
      this.escaped = false;
      this.wordStart = false;
      return;
    }
    const frame = this.stack.at(-1);
    const kind = frame?.kind ?? "top";
    if (this.afterDollar) {
      this.afterDollar = false;
      if (kind !== "sq") {
        if (ch === "(") {
          this.stack.push({ kind: "cs", depth: 0 });
          this.wordStart = true;
          return;
        }
        if (ch === "{") {
          this.stack.push({ kind: "br" });
          this.wordStart = false;
          return;
        }
        if (ch === "'" && kind !== "dq") {
          this.ansiQuote = true;
          return;
        }
      }
    }
    switch (kind) {
      case "sq":
        if (ch === "'") this.stack.pop();
        return;
      case "dq":
        if (ch === "\\") this.escaped = true;
        else if (ch === '"') this.stack.pop();
        else if (ch === "`") this.stack.push({ kind: "bt" });
        else if (ch === "$") this.afterDollar = true;
        return;
      default:
        this.unquoted(ch, frame);
    }
  }

  /** At the top, or inside `$(...)`, backticks or `${...}`. */
  private unquoted(ch: string, frame: Frame | undefined): void {
    const wordStart = this.wordStart;
    this.wordStart = WORD_BREAKS.has(ch);
    switch (ch) {
      case "\\":
        this.escaped = true;
        return;
      case "'":
        this.stack.push({ kind: "sq" });
        return;
      case '"':
        this.stack.push({ kind: "dq" });
        return;
      case "$":
        this.afterDollar = true;
        return;
      case "`":
        if (frame?.kind === "bt") this.stack.pop();
        else this.stack.push({ kind: "bt" });
        return;
      case "#":
        if (wordStart && (frame === undefined || frame.kind === "cs")) this.comment = true;
        return;
      case "}":
        if (frame?.kind === "br") this.stack.pop();
        return;
      case "(":
        if (frame?.kind === "cs") frame.depth++;
        return;
      case ")":
        if (frame?.kind === "cs") {
          if (frame.depth > 0) frame.depth--;
          else this.stack.pop();
        }
        return;
      default:
        return;
    }
  }
}
