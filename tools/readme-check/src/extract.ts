// Finds a README's runnable examples. The rule (README.md of this package):
// - the first ```ts block of the file is its example;
// - so is any ```ts block right after an `<!-- example ... -->` comment (blank lines between are allowed).
// Other ```ts blocks (fragments, type sketches) are prose and are not checked.

export interface Example {
  /** The README, as given. */
  readonly file: string;
  /** 1-based line of the example's first code line in the README. */
  readonly line: number;
  /** 1-based position among the file's examples. */
  readonly index: number;
  /** How it was chosen: `first` (the file's first ts block), or the marker comment's text. */
  readonly reason: string;
  readonly code: string;
}

const TS_INFO = /^(ts|typescript)\b/;
const MARKER = /^<!--\s*example\b.*-->$/;

interface Fence {
  readonly char: "`" | "~";
  readonly length: number;
  readonly info: string;
  readonly indent: number;
}

/** An opening fence as CommonMark reads one: up to three spaces, then three or more backticks or tildes. */
function openingFence(line: string): Fence | undefined {
  const match = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (match === null) return undefined;
  const [, indent = "", run = "", info = ""] = match;
  const char = run.startsWith("~") ? "~" : "`";
  if (char === "`" && info.includes("`")) return undefined;
  return { char, length: run.length, info: info.trim(), indent: indent.length };
}

function closes(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  const run = match?.[1];
  return run?.startsWith(fence.char) === true && run.length >= fence.length;
}

/** The examples of one README, in document order. */
export function extractExamples(markdown: string, file: string): Example[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const examples: Example[] = [];
  let sawTs = false;
  let marker: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fence = openingFence(line);
    if (fence === undefined) {
      const trimmed = line.trim();
      if (MARKER.test(trimmed)) marker = trimmed;
      else if (trimmed !== "") marker = undefined;
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && !closes(lines[end] ?? "", fence)) end++;
    const isTs = TS_INFO.test(fence.info);
    if (isTs && (!sawTs || marker !== undefined)) {
      const body = lines.slice(start, end).map((text) => text.slice(Math.min(fence.indent, text.length - text.trimStart().length)));
      examples.push({ file, line: start + 1, index: examples.length + 1, reason: marker ?? "first", code: `${body.join("\n")}\n` });
    }
    sawTs ||= isTs;
    marker = undefined;
    i = end;
  }
  return examples;
}
