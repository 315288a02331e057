// A small shell lexer for reading build commands (quotes, escapes, `$(...)`, operators, redirections): enough to
// tell that `echo "apt-get install"` is not an install and that `a && b` is two commands. Not a shell.

/** One simple command, with leading `NAME=value` assignments and wrappers (`sudo`, `env`, ...) taken off. */
export interface ShellCommand {
  /** Basename of the program (`/usr/bin/apt-get` → `apt-get`); "" when the command is only assignments. */
  readonly name: string;
  readonly args: readonly string[];
  readonly assignments: readonly string[];
  readonly sudo: boolean;
  /** The words as written (quotes removed), for messages. */
  readonly text: string;
}

/** A word of shell text: its value (quotes and escapes resolved) and where it is written. */
export interface ShellWord {
  readonly text: string;
  /** The index of its first character in the text (a quote, when it starts with one). */
  readonly start: number;
  /** The index just after its last character. */
  readonly end: number;
}

/** A simple command, as words with their places in the text. */
export interface LexedCommand {
  readonly words: readonly ShellWord[];
  /**
   * The operator that joins it to the command before: `""` for the first, else `&&`, `||`, `;`, `;;`, `|`,
   * `|&`, `&`, `(` or `)`, or `"\n"` when only line ends (in scripts) come between.
   */
  readonly after: string;
}

/** Shell text read into simple commands, with what a rewrite needs to know to edit it in place. */
export interface LexedShell {
  readonly commands: readonly LexedCommand[];
  /**
   * Where `" && more"` can be inserted to run after everything: just after the last word (or `)`), when only
   * blanks, `;`, line ends and comments follow it. Undefined when the text ends in an operator, a redirection,
   * an open quote or a trailing backslash.
   */
  readonly appendAt: number | undefined;
  /** The text has a here-document (`<<`), whose body this lexer would read as commands. */
  readonly heredoc: boolean;
}

/**
 * Splits shell text into simple commands: words with quotes and escapes resolved, split at `&&`, `||`, `;`,
 * `|`, `&`, parentheses and (when `newlines` is set, as in scripts) line ends. Redirections and their targets
 * are dropped; `$(...)` and backquotes stay inside their word; `#` starting a word comments out the line.
 */
export function splitCommands(text: string, newlines: boolean): string[][] {
  return lexShell(text, newlines).commands.map((command) => command.words.map((word) => word.text));
}

/** `splitCommands`, keeping where each word is written and how each command joins the one before. */
export function lexShell(text: string, newlines: boolean): LexedShell {
  const commands: LexedCommand[] = [];
  let words: ShellWord[] = [];
  let word = "";
  let inWord = false;
  let start = 0;
  let dropNext = false;
  let separator = "";
  /** The end of the last word or `)`, and whether only `;`, line ends and comments came after it. */
  const tail: { end: number | undefined; complete: boolean } = { end: undefined, complete: false };
  let open = false;
  let heredoc = false;
  let i = 0;
  const endWord = (): void => {
    if (!inWord) return;
    if (dropNext) {
      dropNext = false;
    } else {
      const end = Math.min(i, text.length);
      words.push({ text: word, start, end });
      tail.end = end;
      tail.complete = true;
    }
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) {
      commands.push({ words, after: separator });
      separator = "";
    }
    words = [];
  };
  const operator = (op: string): void => {
    endCommand();
    separator = op === "\n" && separator !== "" ? separator : op;
    if (op === ")") {
      tail.end = i + 1;
      tail.complete = true;
    } else if (op !== ";" && op !== ";;" && op !== "\n") {
      tail.complete = false;
    }
  };
  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === "\\") {
      if (i + 1 >= text.length) open = true;
      if (next !== "\n") {
        if (!inWord) start = i;
        inWord = true;
        word += next;
      }
      i += 2;
    } else if (c === "'") {
      if (!inWord) start = i;
      inWord = true;
      const end = text.indexOf("'", i + 1);
      if (end === -1) open = true;
      const stop = end === -1 ? text.length : end;
      word += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      if (!inWord) start = i;
      inWord = true;
      i++;
      while (i < text.length && text.charAt(i) !== '"') {
        const d = text.charAt(i);
        if (d === "\\" && '"\\$`\n'.includes(text.charAt(i + 1)) && i + 1 < text.length) {
          word += text.charAt(i + 1);
          i += 2;
        } else if (d === "$" && text.charAt(i + 1) === "(") {
          const end = closingParen(text, i + 1);
          if (text.charAt(end) !== ")") open = true;
          word += text.slice(i, end + 1);
          i = end + 1;
        } else {
          word += d;
          i++;
        }
      }
      if (i >= text.length) open = true;
      i++;
    } else if (c === "$" && next === "(") {
      if (!inWord) start = i;
      inWord = true;
      const end = closingParen(text, i + 1);
      if (text.charAt(end) !== ")") open = true;
      word += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === "`") {
      if (!inWord) start = i;
      inWord = true;
      const end = text.indexOf("`", i + 1);
      if (end === -1) open = true;
      const stop = end === -1 ? text.length : end;
      word += text.slice(i, stop + 1);
      i = stop + 1;
    } else if (c === "#" && !inWord) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
    } else if (c === "\n") {
      if (newlines) operator("\n");
      else endWord();
      i++;
    } else if (c === ">" || c === "<" || (c === "&" && next === ">")) {
      // A redirection: drop an fd number written just before it, the operator, and its target word.
      if (inWord && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      } else {
        endWord();
      }
      if (c === "<" && next === "<") heredoc = true;
      tail.complete = false;
      i++;
      while (i < text.length && "<>&|-".includes(text.charAt(i))) i++;
      dropNext = true;
    } else if (c === ";" || c === "|" || c === "&" || c === "(" || c === ")") {
      const length = (c === "&" || c === "|" || c === ";") && (next === c || (c === "|" && next === "&")) ? 2 : 1;
      operator(text.slice(i, i + length));
      i += length;
    } else {
      if (!inWord) start = i;
      inWord = true;
      word += c;
      i++;
    }
  }
  endCommand();
  return { commands, appendAt: tail.complete && !open ? tail.end : undefined, heredoc };
}

/** The index of the `)` that closes the `(` at `open` (quotes respected), or the last index. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoteChar = "";
  for (let i = open; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoteChar !== "") {
      if (c === "\\" && quoteChar === '"') i++;
      else if (c === quoteChar) quoteChar = "";
    } else if (c === "\\") {
      i++;
    } else if (c === "'" || c === '"') {
      quoteChar = c;
    } else if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length - 1;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const RESERVED: ReadonlySet<string> = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}"]);
/** Wrappers that run the rest of the line as a command, with their options that take a value. */
const WRAPPERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["sudo", new Set(["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U"])],
  ["env", new Set(["-u", "-C", "-S"])],
  ["nohup", new Set<string>()],
  ["exec", new Set(["-a"])],
  ["nice", new Set(["-n"])],
  ["time", new Set<string>()],
  ["command", new Set<string>()],
]);

export function toCommand(words: readonly string[]): ShellCommand {
  const assignments: string[] = [];
  let sudo = false;
  let k = 0;
  for (;;) {
    const w = words[k];
    if (w === undefined) break;
    if (ASSIGNMENT.test(w)) {
      assignments.push(w);
      k++;
      continue;
    }
    if (RESERVED.has(w)) {
      k++;
      continue;
    }
    const valued = WRAPPERS.get(w);
    // `command -v x` asks a question; it does not wrap.
    if (valued === undefined || (w === "command" && /^-[vV]$/.test(words[k + 1] ?? ""))) break;
    if (w === "sudo") sudo = true;
    k++;
    for (let option = words[k]; option !== undefined; option = words[k]) {
      if (w === "env" && ASSIGNMENT.test(option)) assignments.push(option);
      else if (!option.startsWith("-")) break;
      k += valued.has(option) ? 2 : 1;
    }
  }
  const program = words[k] ?? "";
  return {
    name: program.slice(program.lastIndexOf("/") + 1),
    args: words.slice(k + 1),
    assignments,
    sudo,
    text: words.join(" "),
  };
}
