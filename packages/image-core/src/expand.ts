// Dockerfile-style variable expansion of IR values (DESIGN.md section 5), mirroring BuildKit's shell lexer
// (moby/buildkit frontend/dockerfile/shell/lex.go, `ProcessWord`) with one difference: quotes are literal
// characters, because the IR holds the value the user wants, not Dockerfile source text.
//
// Supported forms, as in BuildKit:
//   $NAME  ${NAME}                       the value, or "" when unset
//   ${NAME:-word}  ${NAME-word}          word if unset or empty / if unset
//   ${NAME:+word}  ${NAME+word}          word if set and non-empty / if set
//   ${NAME:?word}  ${NAME?word}          the value, or an error (`unset-variable`) if unset or empty / if unset
//   ${NAME#pat} ${NAME##pat}             strip the shortest / longest prefix matching a `*`/`?` pattern
//   ${NAME%pat} ${NAME%%pat}             strip the shortest / longest suffix matching a pattern
//   ${NAME/pat/repl}  ${NAME//pat/repl}  replace the first / every match of a pattern
// A name is a letter or `_` followed by letters, digits and `_`, or (as in BuildKit) a run of digits (`$1`) or
// one special parameter character (`$$`, `$@`, `$*`, `$#`, `$?`, `$-`, `$!`): those are never set, so they expand
// to "". A `$` followed by anything else is literal.
//
// Escapes: `\$` is a literal `$`, `\\` a literal `\`, and inside `${...}` `\}` is a literal `}`; any other
// backslash is kept. In patterns and replacements (`#`, `%`, `/`) backslashes are kept for the pattern
// language, as in BuildKit: `\*`, `\?`, `\\` match those characters, `\}` and `\/` match `}` and `/`.

import { ChutesError } from "./errors.ts";
import type { ChutesErrorOptions } from "./errors.ts";

/** `invalid-substitution`: malformed text; `unset-variable`: a `${NAME?message}` whose variable is unset. */
export type ExpansionErrorCode = "invalid-substitution" | "unset-variable";

/** Thrown when a value cannot be expanded. `text` is the value as given. */
export class ExpansionError extends ChutesError {
  declare readonly code: ExpansionErrorCode;
  readonly text: string;

  constructor(code: ExpansionErrorCode, message: string, text: string, options: ChutesErrorOptions = {}) {
    super(code, message, options);
    this.name = "ExpansionError";
    this.text = text;
  }
}

/** Looks a variable up: its value, or `undefined` when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

/**
 * Expands `$NAME`, `${NAME}` and the `${NAME<modifier>word}` forms in `text` the way a Dockerfile does.
 * Throws `ExpansionError` when the text is malformed or a `${NAME?message}` finds its variable unset.
 */
export function expandWord(text: string, lookup: VariableLookup): string {
  return new Lexer(text, lookup, false).run();
}

/** Escapes `\` and `$` so that `expandWord(escapeLiteral(s), lookup) === s` for every string and lookup. */
export function escapeLiteral(text: string): string {
  return text.replace(/[\\$]/g, (ch) => `\\${ch}`);
}

/**
 * The names of the variables `text` refers to, in order of appearance, each once: names inside `${A:-$B}`
 * words included, and positional or special ones (`1`, `$`), which are never set. Throws `ExpansionError`
 * when the text is malformed.
 */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  new Lexer(text, () => undefined, true, (name) => names.add(name)).run();
  return [...names];
}

// ---------------------------------------------------------------------------------------------------------

const EOF = -1;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COLON = 0x3a;
const SLASH = 0x2f;
const UNDERSCORE = 0x5f;

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
/** POSIX special parameters (BuildKit's `isSpecialParam`). */
const SPECIAL_PARAMS = new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);

function isLetter(cp: number): boolean {
  return cp !== EOF && LETTER.test(String.fromCodePoint(cp));
}

function isDigit(cp: number): boolean {
  return cp !== EOF && DIGIT.test(String.fromCodePoint(cp));
}

function charOf(cp: number): string {
  return cp === EOF ? "" : String.fromCodePoint(cp);
}

class Lexer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lookup: VariableLookup,
    /** Collecting names only: do not fail on values (`${X?msg}`). */
    private readonly collecting: boolean,
    private readonly onName: (name: string) => void = () => undefined,
  ) {}

  run(): string {
    const result = this.processStopOn(EOF, false);
    // With no stop character, processStopOn only returns at the end of the text.
    return result ?? "";
  }

  private peek(): number {
    return this.text.codePointAt(this.pos) ?? EOF;
  }

  private next(): number {
    const cp = this.peek();
    if (cp !== EOF) this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private fail(code: ExpansionErrorCode, detail: string): never {
    throw new ExpansionError(code, `cannot expand ${JSON.stringify(this.text)}: ${detail}`, this.text);
  }

  /** Reads a name (see `processName`) and reports it, in order of appearance. */
  private readName(): string {
    const name = this.processName();
    if (name !== "") this.onName(name);
    return name;
  }

  /**
   * Reads up to `stop` (consumed) or the end of the text. Returns `undefined` when `stop` is a character and
   * the text ends first. `raw` keeps every backslash together with the character it escapes.
   */
  private processStopOn(stop: number, raw: boolean): string | undefined {
    let out = "";
    for (;;) {
      const ch = this.peek();
      if (ch === EOF) return stop === EOF ? out : undefined;
      if (stop !== EOF && ch === stop) {
        this.next();
        return out;
      }
      if (ch === DOLLAR) {
        out += this.processDollar();
        continue;
      }
      this.next();
      if (ch !== BACKSLASH) {
        out += charOf(ch);
        continue;
      }
      if (raw) {
        out += "\\" + charOf(this.next());
        continue;
      }
      const escaped = this.peek();
      if (escaped === DOLLAR || escaped === BACKSLASH || (stop !== EOF && escaped === stop)) {
        out += charOf(this.next());
      } else {
        out += "\\";
      }
    }
  }

  /** Reads a name: letters, digits and `_`; or a run of digits; or one special parameter. */
  private processName(): string {
    const first = this.peek();
    if (isDigit(first)) {
      let digits = "";
      while (isDigit(this.peek())) digits += charOf(this.next());
      return digits;
    }
    if (first !== EOF && SPECIAL_PARAMS.has(charOf(first))) {
      return charOf(this.next());
    }
    let name = "";
    for (;;) {
      const ch = this.peek();
      if (!(isLetter(ch) || isDigit(ch) || ch === UNDERSCORE)) return name;
      name += charOf(this.next());
    }
  }

  private processDollar(): string {
    this.next(); // $
    if (this.peek() !== LBRACE) {
      const name = this.readName();
      if (name === "") return "$";
      return this.lookup(name) ?? "";
    }
    this.next(); // {
    const first = this.peek();
    if (first === EOF) this.fail("invalid-substitution", "missing '}'");
    if (first === LBRACE || first === RBRACE || first === COLON) this.fail("invalid-substitution", "bad substitution");

    const name = this.readName();
    let ch = this.next();
    if (ch === RBRACE) return this.lookup(name) ?? "";
    if (ch === EOF) this.fail("invalid-substitution", "missing '}'");
    if (ch === SLASH) return this.processReplace(name);

    let modifier = charOf(ch);
    let colon = false;
    if (ch === COLON) {
      colon = true;
      ch = this.next();
      modifier += charOf(ch);
    } else if (!"+-?#%".includes(charOf(ch))) {
      this.fail("invalid-substitution", `unsupported modifier (${modifier}) in substitution`);
    }

    const op = charOf(ch);
    const patternOp = op === "#" || op === "%";
    let word = this.processStopOn(RBRACE, patternOp);
    if (word === undefined) this.fail("invalid-substitution", "missing '}'");

    const value = this.lookup(name);
    const empty = value === undefined || (colon && value === "");
    switch (op) {
      case "-":
        return empty ? word : value;
      case "+":
        return empty ? "" : word;
      case "?":
        if (this.collecting) return value ?? "";
        if (value === undefined) {
          this.fail("unset-variable", `${name}: ${word === "" ? "is not allowed to be unset" : word}`);
        }
        if (colon && value === "") {
          this.fail("unset-variable", `${name}: ${word === "" ? "is not allowed to be empty" : word}`);
        }
        return value;
      case "#":
      case "%": {
        // `#`/`%` strip the shortest match, `##`/`%%` the longest.
        const greedy = word.startsWith(op);
        if (greedy) word = word.slice(1);
        const result = op === "#" ? trimPrefix(word, value ?? "", greedy) : trimSuffix(word, value ?? "", greedy);
        if (result === undefined) this.fail("invalid-substitution", `invalid pattern (${word}) in substitution`);
        return result;
      }
      default:
        return this.fail("invalid-substitution", `unsupported modifier (${modifier}) in substitution`);
    }
  }

  /** `${NAME/pattern/replacement}` and `${NAME//pattern/replacement}`; the first `/` is consumed. */
  private processReplace(name: string): string {
    const all = this.peek() === SLASH;
    if (all) this.next();
    const pattern = this.processStopOn(SLASH, true);
    if (pattern === undefined) this.fail("invalid-substitution", "missing '/' in ${}");
    const replacement = this.processStopOn(RBRACE, true);
    if (replacement === undefined) this.fail("invalid-substitution", "missing '}'");

    const value = this.lookup(name) ?? "";
    const re = shellPatternToRegExp(pattern, true, false);
    if (re === undefined) this.fail("invalid-substitution", `invalid pattern (${pattern}) in substitution`);
    if (all) return replaceAllGo(re, value, replacement);
    const match = re.exec(value);
    if (match === null) return value;
    return value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Patterns: BuildKit's convertShellPatternToRegex, trimPrefix/trimSuffix and Go's Regexp.ReplaceAllString.

/** Go's `.` (any character but newline); JavaScript's `.` also excludes `\r`, U+2028 and U+2029. */
const ANY = "[^\\n]";
const REGEXP_SPECIALS = new Set(["[", "]", "{", "}", ".", "+", "(", ")", "|", "^", "$"]);

/** `*` any run, `?` one character, `\` escapes `*`, `?`, `\` (and `}`/`/`, dropped). `undefined` if invalid. */
function shellPatternToRegExp(pattern: string, greedy: boolean, anchored: boolean): RegExp | undefined {
  const chars = Array.from(pattern);
  let source = anchored ? "^" : "";
  for (let i = 0; i < chars.length; i++) {
    const tok = chars[i] ?? "";
    if (tok === "*") {
      source += greedy ? `${ANY}*` : `${ANY}*?`;
    } else if (tok === "?") {
      source += ANY;
    } else if (tok === "\\") {
      const escaped = chars[i + 1];
      if (escaped === "}" || escaped === "/") continue;
      if (escaped !== "*" && escaped !== "?" && escaped !== "\\") return undefined;
      source += `\\${escaped}`;
      i++;
    } else {
      source += REGEXP_SPECIALS.has(tok) ? `\\${tok}` : tok;
    }
  }
  return new RegExp(source, "gu");
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string | undefined {
  const re = shellPatternToRegExp(pattern, greedy, true);
  if (re === undefined) return undefined;
  const match = re.exec(value);
  return match === null ? value : value.slice(match[0].length);
}

/** Reverses a pattern, keeping each `\x` escape in front of its character. */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = [];
  for (let i = 0; i < chars.length; ) {
    const tok = chars[i] ?? "";
    if (tok === "\\" && i !== chars.length - 1) {
      out.unshift(tok + (chars[i + 1] ?? ""));
      i += 2;
    } else {
      out.unshift(tok);
      i++;
    }
  }
  return out.join("");
}

function reverseString(text: string): string {
  return Array.from(text).reverse().join("");
}

/** A regular expression finds the leftmost match only, so the suffix search runs on reversed strings. */
function trimSuffix(pattern: string, value: string, greedy: boolean): string | undefined {
  const trimmed = trimPrefix(reversePattern(pattern), reverseString(value), greedy);
  return trimmed === undefined ? undefined : reverseString(trimmed);
}

/** Go's `Regexp.ReplaceAllString`: non-overlapping matches, no empty match right after a match, `$` templates. */
function replaceAllGo(re: RegExp, src: string, template: string): string {
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const match = re.exec(src);
    if (match === null) break;
    const start = match.index;
    const end = start + match[0].length;
    out += src.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += expandGoTemplate(template, match[0]);
    lastMatchEnd = end;
    const cp = src.codePointAt(searchPos);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/**
 * Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0`/`${0}` the match, any other `$name` or
 * `${name}` is empty, and a `$` not followed by a name is literal.
 */
function expandGoTemplate(template: string, match: string): string {
  let out = "";
  let rest = template;
  for (;;) {
    const at = rest.indexOf("$");
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith("$")) {
      out += "$";
      rest = rest.slice(1);
      continue;
    }
    const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (ref === null) {
      out += "$";
      continue;
    }
    const name = ref[1] ?? ref[2] ?? "";
    rest = rest.slice(ref[0].length);
    if (name === "0") out += match;
  }
  return out + rest;
}
