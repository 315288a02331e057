// `runCommand` folding (DESIGN.md section 4): a multi-line command in the seed means ONE shell command line,
// e.g. `pip install\n torch\n transformers` installs two packages.

/**
 * Folds a (possibly multi-line) command into the pieces of one shell command line.
 *
 * - Lines are trimmed (common indentation and trailing blanks go), blank and comment-only lines are dropped.
 * - A trailing shell comment is dropped: a `#` that starts a word, outside quotes and not escaped.
 * - A trailing backslash is a continuation: it is removed and the line joins the next one like any other.
 *
 * The command that runs is `pieces.join(" ")`; renderers show the pieces as continuation lines.
 */
export function foldCommand(text: string): string[] {
  return foldCommandDetailed(text).pieces;
}

/** What folding found besides the pieces. */
export interface FoldResult {
  readonly pieces: string[];
  /**
   * True when a quoted string spans a line break: folding joins the lines with a space, which changes the
   * string. Such a command wants `runScript`.
   */
  readonly quoteSpansLines: boolean;
}

/** {@link foldCommand}, also reporting quoted strings that span lines. */
export function foldCommandDetailed(text: string): FoldResult {
  const pieces: string[] = [];
  let quote: "'" | '"' | undefined;
  let quoteSpansLines = false;
  const lines = text.split(/\r\n|\r|\n/);
  for (const [index, rawLine] of lines.entries()) {
    const scanned = stripComment(rawLine, quote);
    quote = scanned.quote;
    if (quote !== undefined && index < lines.length - 1) quoteSpansLines = true;
    let line = scanned.text.trim();
    if (endsWithContinuation(line)) line = line.slice(0, -1).trimEnd();
    if (line !== "") pieces.push(line);
  }
  return { pieces, quoteSpansLines };
}

interface Scanned {
  readonly text: string;
  /** The quote still open at the end of the line, if any (a quoted string spanning lines). */
  readonly quote: "'" | '"' | undefined;
}

function stripComment(line: string, openQuote: "'" | '"' | undefined): Scanned {
  let quote = openQuote;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      continue;
    }
    if (ch === "\\") {
      i++; // the next character is escaped, in double quotes or outside
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      continue;
    }
    if (ch === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) {
      return { text: line.slice(0, i), quote };
    }
  }
  return { text: line, quote };
}

/** True when the line ends with an odd number of backslashes (the last one escapes the newline). */
function endsWithContinuation(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === "\\"; i--) count++;
  return count % 2 === 1;
}
