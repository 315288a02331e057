// Test-only port of BuildKit's Dockerfile parser (moby/buildkit frontend/dockerfile/parser: parser.go,
// line_parsers.go, split_command.go), enough to read back what the renderer writes: line scanning with
// continuations, comments, empty continuation lines and heredocs; splitCommand and extractBuilderFlags; and the
// per-instruction argument parsers. Values come out as BuildKit holds them before the lexer runs.
//
// `continuation: "legacy"` uses the continuation rule of older BuildKit (`\\[ \t]*$`), "current" the newer one
// (`([^\\])\\[ \t]*$|^\\[ \t]*$`, which does not treat a line ending in `\\` as continued).

import { processWords } from "./moby-lexer.ts";

export interface Heredoc {
  readonly name: string;
  readonly content: string;
  readonly expand: boolean;
  readonly chomp: boolean;
}

export interface Instruction {
  /** Lower case, as BuildKit dispatches it. */
  readonly command: string;
  readonly flags: readonly string[];
  /** The arguments as the instruction's line parser returns them (for ENV/LABEL: key, value, key, value...). */
  readonly args: readonly string[];
  readonly json: boolean;
  readonly heredocs: readonly Heredoc[];
  readonly startLine: number;
  readonly endLine: number;
}

export interface ParseResult {
  readonly instructions: readonly Instruction[];
  readonly directives: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

export interface ParseOptions {
  readonly continuation?: "current" | "legacy";
}

export class ParseError extends Error {}

const GO_SPACE_CLASS = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const GO_SPACE = new RegExp(`^[${GO_SPACE_CLASS}]$`, "u");
const LEADING_SPACE = new RegExp(`^[${GO_SPACE_CLASS}]+`, "u");
const TRIM_SPACE = new RegExp(`^[${GO_SPACE_CLASS}]+|[${GO_SPACE_CLASS}]+$`, "gu");
/** Go regexp `[\t\v\f\r ]+`. */
const RE_WHITESPACE = /[\t\v\f\r ]+/;
/** Go RE2's `\s` is `[\t\n\f\r ]`. */
const RE_DIRECTIVE = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const RE_HEREDOC = /^([0-9]*)<<(-?)([^<]*)$/u;

function isGoSpace(ch: string): boolean {
  return GO_SPACE.test(ch);
}

function trimNewline(line: string): string {
  return line.replace(/[\r\n]+$/, "");
}

function trimLeadingWhitespace(line: string): string {
  return line.replace(LEADING_SPACE, "");
}

function isComment(line: string): boolean {
  return trimLeadingWhitespace(trimNewline(line)).startsWith("#");
}

/** scanLines: lines with their `\n` kept. */
function scanLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const at = text.indexOf("\n", start);
    if (at < 0) break;
    lines.push(text.slice(start, at + 1));
    start = at + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

export function parseDockerfile(text: string, options: ParseOptions = {}): ParseResult {
  const continuation =
    options.continuation === "legacy" ? /\\[ \t]*$/ : /([^\\])\\[ \t]*$|^\\[ \t]*$/u;
  const directives: Record<string, string> = {};
  let directivesDone = false;
  const possibleParserDirective = (line: string): void => {
    if (directivesDone) return;
    const match = RE_DIRECTIVE.exec(line);
    if (match === null) {
      directivesDone = true;
      return;
    }
    const key = (match[1] ?? "").toLowerCase();
    if (key !== "escape" && key !== "syntax") {
      directivesDone = true;
      return;
    }
    if (key in directives) throw new ParseError(`only one ${key} parser directive can be used`);
    if (key === "escape" && match[2] !== "\\") throw new ParseError("only the default escape token is ported");
    directives[key] = match[2] ?? "";
  };
  const processLine = (token: string, stripLeft: boolean): string => {
    let line = trimNewline(token);
    if (stripLeft) line = trimLeadingWhitespace(line);
    possibleParserDirective(line);
    return line.startsWith("#") ? "" : line;
  };
  const trimContinuation = (line: string): [string, boolean] => {
    if (continuation.test(line)) return [line.replace(continuation, "$1"), false];
    return [line, true];
  };

  const lines = scanLines(text);
  const instructions: Instruction[] = [];
  const warnings: string[] = [];
  let index = 0;
  let currentLine = 0;
  while (index < lines.length) {
    let raw = lines[index++] ?? "";
    if (currentLine === 0) raw = raw.replace(/^\ufeff/, "");
    const processed = processLine(raw, true);
    currentLine++;
    const startLine = currentLine;
    let [line, isEndOfLine] = trimContinuation(processed);
    if (isEndOfLine && line === "") continue;

    let hasEmptyContinuationLine = false;
    while (!isEndOfLine && index < lines.length) {
      const next = lines[index++] ?? "";
      const bytes = processLine(next, false);
      currentLine++;
      if (isComment(next)) continue;
      if (trimLeadingWhitespace(trimNewline(bytes)) === "") {
        hasEmptyContinuationLine = true;
        continue;
      }
      let continued: string;
      [continued, isEndOfLine] = trimContinuation(bytes);
      line += continued;
    }
    if (hasEmptyContinuationLine) warnings.push(`empty continuation line in: ${line}`);

    const node = nodeFromLine(line);
    const heredocs: Heredoc[] = [];
    if (["add", "copy", "run"].includes(node.command) && !node.json) {
      for (const heredoc of heredocsFromLine(line)) {
        let content = "";
        let terminated = false;
        while (index < lines.length) {
          const bodyLine = lines[index++] ?? "";
          currentLine++;
          let possibleTerminator = trimNewline(bodyLine);
          if (heredoc.chomp) possibleTerminator = possibleTerminator.replace(/^\t+/, "");
          if (possibleTerminator === heredoc.name) {
            terminated = true;
            break;
          }
          content += bodyLine;
        }
        if (!terminated) throw new ParseError("unterminated heredoc");
        heredocs.push({ ...heredoc, content });
      }
    }
    instructions.push({ ...node, heredocs, startLine, endLine: currentLine });
  }
  if (instructions.length === 0) throw new ParseError("file with no instructions");
  return { instructions, directives, warnings };
}

function nodeFromLine(line: string): Omit<Instruction, "heredocs" | "startLine" | "endLine"> {
  const trimmed = line.replace(TRIM_SPACE, "");
  const split = RE_WHITESPACE.exec(trimmed);
  const command = (split === null ? trimmed : trimmed.slice(0, split.index)).toLowerCase();
  let flags: string[] = [];
  let rest = "";
  if (split !== null) {
    [rest, flags] = extractBuilderFlags(trimmed.slice(split.index + split[0].length));
  }
  rest = rest.replace(TRIM_SPACE, "");
  const { args, json } = dispatch(command, rest);
  return { command, flags, args, json };
}

/** Byte-wise, as the Go code: every byte becomes a rune of its own. */
function extractBuilderFlags(line: string): [string, string[]] {
  const bytes = Buffer.from(line, "utf8");
  const rest = (pos: number): string => bytes.subarray(pos).toString("utf8");
  const words: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let word = "";
  let quote = 0;
  let blankOK = false;
  let parsingFlagArg = false;
  let needFlagArg = true;
  const isSpaceByte = (b: number): boolean => isGoSpace(String.fromCharCode(b));

  for (let pos = 0; pos <= bytes.length; pos++) {
    const ch = pos !== bytes.length ? (bytes[pos] ?? 0) : 0;
    if (phase === "spaces") {
      if (pos === bytes.length) break;
      if (isSpaceByte(ch)) continue;
      if (!parsingFlagArg && (ch !== 0x2d || pos + 1 === bytes.length || bytes[pos + 1] !== 0x2d)) {
        return [rest(pos), words];
      }
      phase = "word";
    }
    // Here the phase is "word" or "quote".
    if (pos === bytes.length) {
      if (word !== "--" && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === "word") {
      if (isSpaceByte(ch)) {
        phase = "spaces";
        if (parsingFlagArg) {
          words[words.length - 1] = `${words.at(-1) ?? ""}=${word}`;
          parsingFlagArg = false;
          needFlagArg = true;
        } else {
          if (word === "--") return [rest(pos), words];
          if (blankOK || word.length > 0) {
            if (needFlagArg) parsingFlagArg = true;
            words.push(word);
          }
        }
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === 0x3d && needFlagArg) needFlagArg = false;
      if (ch === 0x27 || ch === 0x22) {
        quote = ch;
        blankOK = true;
        phase = "quote";
        continue;
      }
      let c = ch;
      if (c === 0x5c) {
        if (pos + 1 === bytes.length) continue;
        pos++;
        c = bytes[pos] ?? 0;
      }
      word += String.fromCharCode(c);
      continue;
    }
    // phase === "quote"
    if (ch === quote) {
      phase = "word";
      continue;
    }
    let c = ch;
    if (c === 0x5c) {
      if (pos + 1 === bytes.length) {
        phase = "word";
        continue;
      }
      pos++;
      c = bytes[pos] ?? 0;
    }
    word += String.fromCharCode(c);
  }
  return ["", words];
}

function dispatch(command: string, rest: string): { args: string[]; json: boolean } {
  switch (command) {
    case "add":
    case "copy":
    case "volume":
      return parseMaybeJSONToList(rest);
    case "arg":
      return { args: parseWords(rest), json: false };
    case "cmd":
    case "entrypoint":
    case "run":
    case "shell":
      return parseMaybeJSON(rest);
    case "env":
    case "label":
      return { args: parseNameVal(rest, command), json: false };
    case "expose":
    case "from":
      return { args: parseStringsWhitespaceDelimited(rest), json: false };
    case "healthcheck":
      return parseHealthConfig(rest);
    case "maintainer":
    case "stopsignal":
    case "user":
    case "workdir":
      return { args: rest === "" ? [] : [rest], json: false };
    default:
      return { args: [], json: false };
  }
}

/** parseWords: words at unquoted whitespace, quotes and escapes kept for the lexer. */
export function parseWords(rest: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let quote = "";
  let blankOK = false;
  let builder = "";
  for (let pos = 0; pos <= chars.length; pos++) {
    let ch = pos !== chars.length ? (chars[pos] ?? "") : "";
    if (phase === "spaces") {
      if (pos === chars.length) break;
      if (isGoSpace(ch)) continue;
      phase = "word";
    }
    // Here the phase is "word" or "quote".
    if (pos === chars.length) {
      if (blankOK || builder.length > 0) words.push(builder);
      break;
    }
    if (phase === "word") {
      if (isGoSpace(ch)) {
        phase = "spaces";
        if (blankOK || builder.length > 0) words.push(builder);
        builder = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
      }
      if (ch === "\\") {
        if (pos + 1 === chars.length) continue;
        builder += ch;
        pos++;
        ch = chars[pos] ?? "";
      }
      builder += ch;
      continue;
    }
    // phase === "quote"
    if (ch === quote) phase = "word";
    if (ch === "\\" && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = "word";
        continue;
      }
      pos++;
      builder += ch;
      ch = chars[pos] ?? "";
    }
    builder += ch;
  }
  return words;
}

function parseNameVal(rest: string, command: string): string[] {
  const words = parseWords(rest);
  if (words.length === 0) return [];
  if (!(words[0] ?? "").includes("=")) {
    const parts = rest.split(RE_WHITESPACE);
    if (parts.length < 2) throw new ParseError(`${command} must have two arguments`);
    const key = parts[0] ?? "";
    return [key, rest.slice(rest.indexOf(key) + key.length).replace(RE_WHITESPACE, "")];
  }
  const args: string[] = [];
  for (const word of words) {
    const at = word.indexOf("=");
    if (at < 0) throw new ParseError(`Syntax error - can't find = in ${JSON.stringify(word)}`);
    args.push(word.slice(0, at), word.slice(at + 1));
  }
  return args;
}

function parseStringsWhitespaceDelimited(rest: string): string[] {
  return rest === "" ? [] : rest.split(RE_WHITESPACE);
}

function parseJSON(rest: string): string[] | undefined {
  const trimmed = rest.replace(LEADING_SPACE, "");
  if (!trimmed.startsWith("[")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (!parsed.every((item): item is string => typeof item === "string")) {
    throw new ParseError("when using JSON array syntax, arrays must be comprised of strings only");
  }
  return parsed;
}

function parseMaybeJSON(rest: string): { args: string[]; json: boolean } {
  if (rest === "") return { args: [], json: false };
  const json = parseJSON(rest);
  return json === undefined ? { args: [rest], json: false } : { args: json, json: true };
}

function parseMaybeJSONToList(rest: string): { args: string[]; json: boolean } {
  const json = parseJSON(rest);
  return json === undefined ? { args: parseStringsWhitespaceDelimited(rest), json: false } : { args: json, json: true };
}

/** Byte-wise like the Go code for finding the type word. */
function parseHealthConfig(rest: string): { args: string[]; json: boolean } {
  const bytes = Buffer.from(rest, "utf8");
  const isSpaceByte = (b: number): boolean => isGoSpace(String.fromCharCode(b));
  let sep = 0;
  while (sep < bytes.length && !isSpaceByte(bytes[sep] ?? 0)) sep++;
  let next = sep;
  while (next < bytes.length && isSpaceByte(bytes[next] ?? 0)) next++;
  if (sep === 0) return { args: [], json: false };
  const type = bytes.subarray(0, sep).toString("utf8");
  const command = parseMaybeJSON(bytes.subarray(next).toString("utf8"));
  return { args: [type, ...command.args], json: command.json };
}

function heredocsFromLine(line: string): Omit<Heredoc, "content">[] {
  let words: string[];
  try {
    words = processWords(line, {}, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch {
    words = [];
  }
  const docs: Omit<Heredoc, "content">[] = [];
  for (const word of words) {
    const heredoc = parseHeredoc(word);
    if (heredoc !== undefined) docs.push(heredoc);
  }
  return docs;
}

/** ParseHeredoc: the heredoc a word starts, if it is one (BuildKit also checks COPY sources with this). */
export function parseHeredoc(word: string): Omit<Heredoc, "content"> | undefined {
  const match = RE_HEREDOC.exec(word);
  if (match === null) return undefined;
  const chomp = match[2] === "-";
  const rest = match[3] ?? "";
  if (rest.length === 0) return undefined;
  const words = processWords(rest, {}, { skipUnsetEnv: true });
  if (words.length !== 1) return undefined;
  const wordsRaw = processWords(rest, {}, { skipUnsetEnv: true, rawQuotes: true });
  const name = words[0] ?? "";
  const quotes = (text: string): number => (text.match(/['"]/g) ?? []).length;
  return { name, expand: quotes(name) === quotes(wordsRaw[0] ?? ""), chomp };
}
