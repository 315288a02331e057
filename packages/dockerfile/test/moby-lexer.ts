// Test-only port of BuildKit's shell lexer (moby/buildkit frontend/dockerfile/shell/lex.go): ProcessWord and
// ProcessWords with the RawQuotes, RawEscapes, SkipUnsetEnv and SkipProcessQuotes switches, and the default
// escape token `\`. Pattern modifiers (`#`, `%`, `/`) are lexed like BuildKit's but their matching is not
// ported: the lexer reports them as `{ pattern }` results so that tests can compare the words.
//
// Kept as a line-by-line transliteration of the Go code so that it can be reviewed against it.

export interface LexOptions {
  readonly rawQuotes?: boolean;
  readonly rawEscapes?: boolean;
  readonly skipUnsetEnv?: boolean;
  readonly skipProcessQuotes?: boolean;
}

export class LexError extends Error {}

/** ProcessWord: the word with quotes removed and variables expanded. */
export function processWord(word: string, env: Readonly<Record<string, string>> = {}, options: LexOptions = {}): string {
  return new ShellWord(word, env, options).process().result;
}

/** ProcessWords: the word split into words at unquoted whitespace, after expansion. */
export function processWords(
  word: string,
  env: Readonly<Record<string, string>> = {},
  options: LexOptions = {},
): string[] {
  return new ShellWord(word, env, options).process().words;
}

/** Pattern results (`${X#p}`, `${X%p}`, `${X/p/r}`) as text, for tests that only check the pattern words. */
export function describePatterns(word: string, env: Readonly<Record<string, string>> = {}): string {
  return new ShellWord(word, env, {}, true).process().result;
}

const EOF = "";
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function isSpace(ch: string): boolean {
  return GO_SPACE.test(ch);
}

class WordsStruct {
  word = "";
  words: string[] = [];
  inWord = false;

  addChar(ch: string): void {
    if (isSpace(ch) && this.inWord) {
      if (this.word.length !== 0) {
        this.words.push(this.word);
        this.word = "";
        this.inWord = false;
      }
    } else if (!isSpace(ch)) {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }

  addString(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  addRawString(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  getWords(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = "";
      this.inWord = false;
    }
    return this.words;
  }
}

class ShellWord {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;

  constructor(
    word: string,
    private readonly envs: Readonly<Record<string, string>>,
    private readonly options: LexOptions,
    private readonly describe = false,
  ) {
    this.chars = Array.from(word);
    this.rawEscapes = options.rawEscapes ?? false;
  }

  process(): { result: string; words: string[] } {
    const [result, words] = this.processStopOn(EOF, this.rawEscapes);
    return { result, words };
  }

  private peek(): string {
    return this.chars[this.pos] ?? EOF;
  }

  private next(): string {
    const ch = this.peek();
    if (ch !== EOF) this.pos++;
    return ch;
  }

  private processStopOn(stopChar: string, rawEscapes: boolean): [string, string[]] {
    let result = "";
    const words = new WordsStruct();
    const special = (ch: string): (() => string) | undefined => {
      if (ch === "$") return () => this.processDollar();
      if (this.options.skipProcessQuotes === true) return undefined;
      if (ch === "'") return () => this.processSingleQuote();
      if (ch === '"') return () => this.processDoubleQuote();
      return undefined;
    };

    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        let ch = this.peek();
        if (stopChar !== EOF && ch === stopChar) {
          this.next();
          return [result, words.getWords()];
        }
        const fn = special(ch);
        if (fn !== undefined) {
          const tmp = fn();
          result += tmp;
          if (ch === "$") words.addString(tmp);
          else words.addRawString(tmp);
        } else {
          ch = this.next();
          if (ch === "\\") {
            if (this.rawEscapes) {
              words.addRawChar(ch);
              result += ch;
            }
            ch = this.next();
            if (ch === EOF) break;
            words.addRawChar(ch);
          } else {
            words.addChar(ch);
          }
          result += ch;
        }
      }
      if (stopChar !== EOF) {
        throw new LexError(`unexpected end of statement while looking for matching ${stopChar}`);
      }
      return [result, words.getWords()];
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    let result = "";
    let ch = this.next();
    if (this.options.rawQuotes === true) result += ch;
    for (;;) {
      ch = this.next();
      if (ch === EOF) throw new LexError("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") {
        if (this.options.rawQuotes === true) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = "";
    const open = this.next();
    if (this.options.rawQuotes === true) result += open;
    for (;;) {
      const peeked = this.peek();
      if (peeked === EOF) {
        throw new LexError("unexpected end of statement while looking for matching double-quote");
      }
      if (peeked === '"') {
        const ch = this.next();
        if (this.options.rawQuotes === true) result += ch;
        return result;
      }
      if (peeked === "$") {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === "\\") {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue; // ignore \ at end of word
        if (after === '"' || after === "$" || after === "\\") ch = this.next();
      }
      result += ch;
    }
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== "{") {
      const name = this.processName();
      if (name === "") return "$";
      const value = this.getEnv(name);
      if (value === undefined && this.options.skipUnsetEnv === true) return `$${name}`;
      return value ?? "";
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new LexError("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":") throw new LexError("syntax error: bad substitution");
    const name = this.processName();
    let ch = this.next();
    let chs = ch;
    let nullIsUnset = false;

    if (ch === "}") {
      const value = this.getEnv(name);
      if (value === undefined && this.options.skipUnsetEnv === true) return `\${${name}}`;
      return value ?? "";
    }
    if (ch === ":") {
      nullIsUnset = true;
      ch = this.next();
      chs += ch;
    } else if (!"+-?#%".includes(ch) || ch === EOF) {
      if (ch === "/") return this.processReplace(name);
      throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
    const rawEscapes = ch === "#" || ch === "%";
    let word: string;
    try {
      [word] = this.processStopOn("}", rawEscapes);
    } catch (error) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
      throw error;
    }
    const value = this.getEnv(name);
    const set = value !== undefined;
    if (this.options.skipUnsetEnv === true && !set) return `\${${name}${chs}${word}}`;
    switch (ch) {
      case "-":
        return !set || (nullIsUnset && value === "") ? word : value;
      case "+":
        return !set || (nullIsUnset && value === "") ? "" : word;
      case "?":
        if (!set) throw new LexError(`${name}: ${word === "" ? "is not allowed to be unset" : word}`);
        if (nullIsUnset && value === "") {
          throw new LexError(`${name}: ${word === "" ? "is not allowed to be empty" : word}`);
        }
        return value;
      case "#":
      case "%":
        if (this.describe) return `{${name}${chs}pattern=${JSON.stringify(word)}}`;
        throw new LexError("pattern modifiers are not ported");
      default:
        throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processReplace(name: string): string {
    const all = this.peek() === "/";
    if (all) this.next();
    let pattern: string;
    try {
      [pattern] = this.processStopOn("/", true);
    } catch (error) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '/' in ${}");
      throw error;
    }
    let replacement: string;
    try {
      [replacement] = this.processStopOn("}", true);
    } catch (error) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
      throw error;
    }
    if (this.describe) {
      return `{${name}/${all ? "/" : ""}pattern=${JSON.stringify(pattern)},replacement=${JSON.stringify(replacement)}}`;
    }
    throw new LexError("pattern modifiers are not ported");
  }

  private getEnv(name: string): string | undefined {
    return Object.hasOwn(this.envs, name) ? this.envs[name] : undefined;
  }

  private processName(): string {
    let name = "";
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name.length === 0 && DIGIT.test(ch)) {
        while (this.peek() !== EOF && DIGIT.test(this.peek())) name += this.next();
        return name;
      }
      if (name.length === 0 && "@*#?-$!0".includes(ch)) return this.next();
      if (!LETTER.test(ch) && !DIGIT.test(ch) && ch !== "_") break;
      name += this.next();
    }
    return name;
  }
}
