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

/**
 * Splits shell text into simple commands: words with quotes and escapes resolved, split at `&&`, `||`, `;`,
 * `|`, `&`, parentheses and (when `newlines` is set, as in scripts) line ends. Redirections and their targets
 * are dropped; `$(...)` and backquotes stay inside their word; `#` starting a word comments out the line.
 */
export function splitCommands(text: string, newlines: boolean): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let dropNext = false;
  const endWord = (): void => {
    if (!inWord) return;
    if (dropNext) dropNext = false;
    else words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === "\\") {
      if (next !== "\n") {
        word += next;
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end === -1 ? text.length : end;
      word += text.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < text.length && text.charAt(i) !== '"') {
        const d = text.charAt(i);
        if (d === "\\" && '"\\$`\n'.includes(text.charAt(i + 1)) && i + 1 < text.length) {
          word += text.charAt(i + 1);
          i += 2;
        } else if (d === "$" && text.charAt(i + 1) === "(") {
          const end = closingParen(text, i + 1);
          word += text.slice(i, end + 1);
          i = end + 1;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === "$" && next === "(") {
      const end = closingParen(text, i + 1);
      word += text.slice(i, end + 1);
      inWord = true;
      i = end + 1;
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      const stop = end === -1 ? text.length : end;
      word += text.slice(i, stop + 1);
      inWord = true;
      i = stop + 1;
    } else if (c === "#" && !inWord) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
    } else if (c === "\n") {
      if (newlines) endCommand();
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
      i++;
      while (i < text.length && "<>&|-".includes(text.charAt(i))) i++;
      dropNext = true;
    } else if (c === ";" || c === "|" || c === "&" || c === "(" || c === ")") {
      endCommand();
      i += (c === "&" || c === "|" || c === ";") && (next === c || (c === "|" && next === "&")) ? 2 : 1;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endCommand();
  return commands;
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
