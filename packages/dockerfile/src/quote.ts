// Writes IR values as Dockerfile source that BuildKit's shell lexer (moby/buildkit
// frontend/dockerfile/shell/lex.go, `ProcessWord`) turns back into exactly the value the IR means.
//
// The IR value is Dockerfile-style text with one difference (see @chutes/image-core's evaluator): quotes are
// literal characters. So `$NAME`, `${NAME}` and every `${NAME<modifier>word}` form stay expansions for Docker
// to perform, `\$` is a literal `$`, `\\` a literal `\`, inside `${...}` `\}` is a literal `}`, and any other
// backslash is literal. In pattern words (`#`, `%`, `/`) backslashes belong to the pattern language and are kept.
//
// The translator walks the value with the IR's grammar and writes each literal character the way the lexer
// context it lands in needs it:
// - `dq`, inside our double quotes (processDoubleQuote): only `\"`, `\$` and `\\` are escapes there; any other
//   backslash stays literal, so we escape `"`, `$` and `\` and nothing else;
// - `bare`, unquoted (processStopOn at the top): a backslash escapes any character and quotes start quoted
//   strings, so `\`, `$`, `'` and `"` get a backslash;
// - `word`, the word of `${NAME:-word}` and friends (processStopOn('}')): as `bare`, plus `}`;
// - `raw`, pattern words (processStopOn with rawEscapes): a backslash pair is kept as two characters, exactly as
//   the IR keeps it, so pairs are copied; a lone `$` must stay bare (`\$` would reach the pattern as `\$`, an
//   invalid escape); a quote can only be written quoted, which would split the line's word for the Dockerfile
//   parser, so a quote there is refused.

import { GO_SPACE } from "./go-text.ts";

/** Called with a description when a value's `${...}` is malformed, or holds what no Dockerfile can write. */
export type OnUnrenderable = (problem: string) => never;

type Context = "dq" | "bare" | "word" | "raw";

const EOF = "";
const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;
const DIGIT = /^\p{Nd}$/u;
/** POSIX special parameters, as BuildKit's `isSpecialParam`. */
const SPECIAL_PARAMS = new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);
const MODIFIERS = new Set(["+", "-", "?", "#", "%"]);

/** `"value"`: an IR value as a double-quoted lexer word (ENV and LABEL values, ARG defaults, WORKDIR, USER). */
export function quoteValue(value: string, fail: OnUnrenderable): string {
  return `"${new Translator(value, fail).run("dq")}"`;
}

/**
 * An IR value as one unquoted lexer word: used for `COPY`/`ADD` paths in both forms, since BuildKit runs every
 * source and destination through the lexer, JSON form included. A word that would read as a heredoc
 * (`<<EOF`, `2<<EOF`: BuildKit checks each source before lexing it) gets its first character escaped.
 */
export function lexerWord(value: string, fail: OnUnrenderable): string {
  const word = new Translator(value, fail).run("bare");
  return /^\p{Nd}*<</u.test(word) ? `\\${word}` : word;
}

/**
 * An IR value for an instruction that takes the rest of the line as one lexer word (`WORKDIR`, `USER`): bare
 * when that needs no escape, has no whitespace and does not start with `--` (the parser would take it for a
 * flag); double-quoted otherwise.
 */
export function restOfLine(value: string, fail: OnUnrenderable): string {
  const bare = new Translator(value, fail).run("bare");
  if (value !== "" && !GO_SPACE.test(value) && !/[\\"']/.test(bare) && !bare.startsWith("--")) return bare;
  return quoteValue(value, fail);
}

/** A literal string (no expansions) as a double-quoted lexer word. */
export function quoteLiteral(text: string): string {
  return `"${text.replace(/["$\\]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * An ENV, LABEL or ARG name: bare when it is `[A-Za-z0-9._/-]+` and does not start with `--` (a flag to the
 * parser), double-quoted (literally) otherwise.
 */
export function renderKey(key: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(key) && !key.startsWith("--") ? key : quoteLiteral(key);
}

/**
 * A JSON array of strings in the `["a", "b"]` style. `JSON.stringify` escapes every control character, so the
 * result is one physical line; U+2028 and U+2029 stay raw, which is valid JSON and no line break to Go.
 */
export function jsonArray(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
}

class Translator {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: OnUnrenderable,
  ) {}

  run(context: "dq" | "bare"): string {
    return this.stopOn(EOF, false, context);
  }

  private peek(): string {
    const cp = this.text.codePointAt(this.pos);
    return cp === undefined ? EOF : String.fromCodePoint(cp);
  }

  private next(): string {
    const ch = this.peek();
    this.pos += ch.length;
    return ch;
  }

  private malformed(detail: string): never {
    return this.fail(`its variable substitution is malformed (${detail}).`);
  }

  /** Mirrors the IR lexer's processStopOn, writing source for `context`; consumes `stop`, does not write it. */
  private stopOn(stop: string, raw: boolean, context: Context): string {
    let out = "";
    for (;;) {
      const ch = this.peek();
      if (ch === EOF) {
        if (stop === EOF) return out;
        this.malformed("missing '}'");
      }
      if (stop !== EOF && ch === stop) {
        this.next();
        return out;
      }
      if (ch === "$") {
        out += this.dollar(context);
        continue;
      }
      this.next();
      if (ch !== "\\") {
        out += this.literal(ch, context);
      } else if (raw) {
        // A pattern escape: both lexers keep the pair as it is.
        out += `\\${this.next()}`;
      } else {
        const escaped = this.peek();
        if (escaped === "$" || escaped === "\\" || (stop !== EOF && escaped === stop)) {
          out += this.literal(this.next(), context);
        } else {
          out += this.literal("\\", context);
        }
      }
    }
  }

  private literal(ch: string, context: Context): string {
    switch (context) {
      case "dq":
        return ch === '"' || ch === "$" || ch === "\\" ? `\\${ch}` : ch;
      case "bare":
        return ch === '"' || ch === "'" || ch === "$" || ch === "\\" ? `\\${ch}` : ch;
      case "word":
        return ch === '"' || ch === "'" || ch === "$" || ch === "\\" || ch === "}" ? `\\${ch}` : ch;
      case "raw":
        if (ch === '"' || ch === "'") {
          return this.fail(
            "it has a quote inside the pattern of a `${NAME#pattern}`, `${NAME%pattern}` or " +
              "`${NAME/pattern/replacement}` substitution, which Dockerfile syntax cannot write.",
          );
        }
        return ch;
    }
  }

  /** A name as the lexer reads it: letters, digits and `_`; a run of digits; or one special parameter. */
  private name(): string {
    const first = this.peek();
    if (DIGIT.test(first)) {
      let digits = "";
      while (DIGIT.test(this.peek())) digits += this.next();
      return digits;
    }
    if (SPECIAL_PARAMS.has(first)) return this.next();
    let name = "";
    while (NAME_CHAR.test(this.peek())) name += this.next();
    return name;
  }

  /** Mirrors processDollar; the `$` is at the current position. */
  private dollar(context: Context): string {
    this.next();
    if (this.peek() !== "{") {
      const name = this.name();
      if (name !== "") return `$${name}`;
      // A `$` that starts no name is literal. In a pattern it must stay bare: BuildKit reads it the same way.
      return context === "raw" ? "$" : "\\$";
    }
    this.next();
    const first = this.peek();
    if (first === EOF) this.malformed("missing '}'");
    if (first === "{" || first === "}" || first === ":") this.malformed("bad substitution");

    const name = this.name();
    const ch = this.next();
    if (ch === "}") return `\${${name}}`;
    if (ch === EOF) this.malformed("missing '}'");
    if (ch === "/") {
      const all = this.peek() === "/";
      if (all) this.next();
      const pattern = this.stopOn("/", true, "raw");
      const replacement = this.stopOn("}", true, "raw");
      return `\${${name}/${all ? "/" : ""}${pattern}/${replacement}}`;
    }

    let modifier = ch;
    let op = ch;
    if (ch === ":") {
      op = this.next();
      modifier += op;
    }
    if (!MODIFIERS.has(op)) this.malformed(`unsupported modifier (${modifier}) in substitution`);
    const raw = op === "#" || op === "%";
    const word = this.stopOn("}", raw, raw ? "raw" : "word");
    return `\${${name}${modifier}${word}}`;
  }
}
