// A run step's command as the linter reads it (simple commands whose words know where they are written), and
// the in-place edits `fixLint` makes to it. Every edit is made at a word's place in the text, so the rest of the
// command keeps its quoting, spacing and line breaks; argv (exec form, no shell) gets array edits.

import { assertNever } from "./ir.ts";
import type { RunCommand } from "./ir.ts";
import { lexShell, toCommand } from "./shell.ts";
import type { LexedShell, ShellCommand, ShellWord } from "./shell.ts";

const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh"]);
const basename = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** One simple command of a run step. */
export interface RunCommandPart {
  readonly command: ShellCommand;
  /** Its words; in argv, `start`/`end` are the element's index and the next. */
  readonly words: readonly ShellWord[];
  /** The index in `words` of the program, after assignments, reserved words and wrappers (`sudo`, `env`). */
  readonly program: number;
  /** The operator that joins it to the command before (see `LexedCommand.after`); `""` in argv. */
  readonly after: string;
}

/** How a run step reads: its commands, and whether a shell reads them. */
export interface RunReading {
  readonly commands: readonly RunCommandPart[];
  /** A shell reads the text, so `&&` can join commands to it; false for argv (and for unread scripts). */
  readonly shell: boolean;
  /** The text has a here-document, which the lexer reads as commands: no edit is safe. */
  readonly heredoc: boolean;
}

/** The text a shell reads for a run command, and where it sits, or undefined when no shell reads it. */
type ShellText =
  | { readonly where: "lines"; readonly text: string; readonly lines: readonly string[] }
  | { readonly where: "script"; readonly text: string }
  | { readonly where: "argv"; readonly text: string; readonly argv: readonly string[] };

function shellText(command: RunCommand): ShellText | "argv" | "none" {
  switch (command.form) {
    case "shell":
      return { where: "lines", text: command.lines.join(" "), lines: command.lines };
    case "script": {
      const interpreter = command.interpreter?.[0];
      if (interpreter !== undefined && !SHELLS.has(basename(interpreter))) return "none";
      return { where: "script", text: command.script };
    }
    case "exec": {
      const [program = "", flag = "", script] = command.argv;
      if (SHELLS.has(basename(program)) && /^-[a-z]*c[a-z]*$/.test(flag) && script !== undefined) {
        return { where: "argv", text: script, argv: command.argv };
      }
      return command.argv.length === 0 ? "none" : "argv";
    }
    default:
      return assertNever(command, "run form");
  }
}

const lexed = (text: ShellText): LexedShell => lexShell(text.text, text.where !== "lines");

function part(words: readonly ShellWord[], after: string): RunCommandPart {
  const command = toCommand(words.map((word) => word.text));
  return { command, words, program: words.length - command.args.length - 1, after };
}

/** The simple commands a run step executes (scripts for a non-shell interpreter have none we can read). */
export function readRun(command: RunCommand): RunReading {
  const text = shellText(command);
  if (text === "none") return { commands: [], shell: false, heredoc: false };
  if (text === "argv") {
    const argv = command.form === "exec" ? command.argv : [];
    const words = argv.map((arg, index) => ({ text: arg, start: index, end: index + 1 }));
    return { commands: [part(words, "")], shell: false, heredoc: false };
  }
  const shell = lexed(text);
  return {
    commands: shell.commands.map((lexedCommand) => part(lexedCommand.words, lexedCommand.after)),
    shell: true,
    heredoc: shell.heredoc,
  };
}

/**
 * An edit at a word of `readRun(command).commands[command]`, or at the end of the text:
 * - `insert-after`: one plain word (an option such as `-y`) right after a word;
 * - `replace`: a new text for an unquoted word (`apt` → `apt-get`);
 * - `insert-before`: `<text> <operator>` before a word (`apt-get update &&`), shell only;
 * - `append`: `<operator> <text>` after the last word (`&& rm -rf /var/lib/apt/lists/*`), shell only.
 * In a folded `runCommand`, an inserted command at the start or end of a line gets a line of its own.
 */
export type RunEdit =
  | { readonly kind: "insert-after"; readonly command: number; readonly word: number; readonly text: string }
  | { readonly kind: "replace"; readonly command: number; readonly word: number; readonly text: string }
  | {
      readonly kind: "insert-before";
      readonly command: number;
      readonly word: number;
      readonly text: string;
      readonly operator: string;
    }
  | { readonly kind: "append"; readonly text: string; readonly operator: string };

/** A plain word needs no quoting in any shell. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The command with the edits made, or undefined when one cannot be made in place (a heredoc, a quoted word to
 * replace, a command joined by a pipe, argv for an edit that needs a shell, a text that does not end in a word).
 */
export function editRun(command: RunCommand, edits: readonly RunEdit[]): RunCommand | undefined {
  if (edits.length === 0) return undefined;
  const text = shellText(command);
  if (text === "none") return undefined;
  if (text === "argv") return command.form === "exec" ? editArgv(command.argv, edits) : undefined;
  const shell = lexed(text);
  if (shell.heredoc) return undefined;
  const spans: Span[] = [];
  for (const edit of edits) {
    const span = toSpan(text.text, shell, edit);
    if (span === undefined) return undefined;
    spans.push(span);
  }
  switch (text.where) {
    case "lines": {
      const lines = editLines(text.lines, spans);
      return lines === undefined ? undefined : { form: "shell", lines };
    }
    case "script": {
      const script = editText(text.text, spans);
      if (script === undefined) return undefined;
      return command.form === "script" && command.interpreter !== undefined
        ? { form: "script", script, interpreter: command.interpreter }
        : { form: "script", script };
    }
    case "argv": {
      const script = editText(text.text, spans);
      return script === undefined ? undefined : { form: "exec", argv: text.argv.map((arg, index) => (index === 2 ? script : arg)) };
    }
    default:
      return assertNever(text, "shell text");
  }
}

function editArgv(argv: readonly string[], edits: readonly RunEdit[]): RunCommand | undefined {
  const inserted = new Map<number, string[]>();
  const replaced = new Map<number, string>();
  for (const edit of edits) {
    if (edit.kind === "insert-before" || edit.kind === "append" || edit.command !== 0 || argv[edit.word] === undefined) {
      return undefined;
    }
    if (edit.kind === "insert-after") inserted.set(edit.word, [...(inserted.get(edit.word) ?? []), edit.text]);
    else replaced.set(edit.word, edit.text);
  }
  return { form: "exec", argv: argv.flatMap((arg, index) => [replaced.get(index) ?? arg, ...(inserted.get(index) ?? [])]) };
}

/** A text edit: replace `[start, end)` with `text`; `line` says how it may take a line of its own. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly line?: { readonly side: "before" | "after"; readonly own: string; readonly operator: string };
}

function toSpan(text: string, shell: LexedShell, edit: RunEdit): Span | undefined {
  if (edit.kind === "append") {
    if (shell.appendAt === undefined) return undefined;
    return {
      start: shell.appendAt,
      end: shell.appendAt,
      text: ` ${edit.operator} ${edit.text}`,
      line: { side: "after", own: edit.text, operator: edit.operator },
    };
  }
  const word = shell.commands[edit.command]?.words[edit.word];
  if (word === undefined) return undefined;
  switch (edit.kind) {
    case "insert-after":
      return PLAIN_WORD.test(edit.text) ? { start: word.end, end: word.end, text: ` ${edit.text}` } : undefined;
    case "replace":
      // Only a word written as it reads: replacing a quoted or escaped word would drop its quoting.
      return text.slice(word.start, word.end) === word.text ? { start: word.start, end: word.end, text: edit.text } : undefined;
    case "insert-before":
      return {
        start: word.start,
        end: word.start,
        text: `${edit.text} ${edit.operator} `,
        line: { side: "before", own: `${edit.text} ${edit.operator}`, operator: edit.operator },
      };
    default:
      return assertNever(edit, "run edit");
  }
}

/** Makes non-overlapping edits, last first. */
function editText(text: string, spans: readonly Span[]): string | undefined {
  const sorted = [...spans].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = text.length;
  for (const span of sorted) {
    if (span.end > limit) return undefined;
    result = result.slice(0, span.start) + span.text + result.slice(span.end);
    limit = span.start;
  }
  return result;
}

/**
 * Edits a folded command's lines (joined with single spaces): each edit inside the line that holds it; a
 * command inserted at the start of a line, or appended after the last word, goes on a line of its own, joined
 * with its operator (`apt-get update &&` above, `&&` at the end of the line and `rm -rf ...` below).
 */
function editLines(lines: readonly string[], spans: readonly Span[]): string[] | undefined {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const joined = lines.join(" ");
  const inline = lines.map((): Span[] => []);
  const above = lines.map((): string[] => []);
  const below = new Map<number, { readonly own: string; readonly operator: string }>();
  for (const span of spans) {
    const index = starts.findIndex((start, k) => start <= span.start && span.end <= start + (lines[k]?.length ?? 0));
    const line = lines[index];
    const start = starts[index];
    if (line === undefined || start === undefined) return undefined;
    const local = { ...span, start: span.start - start, end: span.end - start };
    if (span.line?.side === "before" && line.slice(0, local.start).trim() === "") {
      above[index]?.push(span.line.own);
    } else if (span.line?.side === "after" && joined.slice(span.end).trim() === "") {
      if (below.has(index)) return undefined;
      below.set(index, span.line);
    } else {
      inline[index]?.push(local);
    }
  }
  const result: string[] = [];
  for (const [index, line] of lines.entries()) {
    const edited = editText(line, inline[index] ?? []);
    if (edited === undefined) return undefined;
    const after = below.get(index);
    result.push(...(above[index] ?? []));
    if (after === undefined) result.push(edited);
    else result.push(`${edited.trimEnd()} ${after.operator}`, after.own);
  }
  return result;
}
