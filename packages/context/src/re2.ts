// Translates the regular expressions moby/patternmatcher builds into JavaScript ones with the same meaning.
//
// patternmatcher turns a pattern into a Go (RE2) regular expression and passes `[...]` classes and `\`
// escapes through untouched, so their meaning is RE2's, not a glob's: `[^a]` is a negated class that also
// matches `/`, `[[:alpha:]]` is a POSIX class, `\d` is a digit, and a stray `^` is an anchor. This module
// parses that RE2 text (the subset Go's `regexp/syntax` accepts with its Perl flags) and writes a JavaScript
// pattern for `new RegExp(source, "u")`, or throws `Re2SyntaxError` where Go's `regexp.Compile` would fail.

/** Go's `regexp.Compile` would reject the expression. */
export class Re2SyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Re2SyntaxError";
  }
}

type Range = readonly [number, number];

const MAX_RUNE = 0x10ffff;

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

function r(lo: string, hi: string = lo): Range {
  return [lo.codePointAt(0) ?? 0, hi.codePointAt(0) ?? 0];
}

// Go's Perl classes are ASCII-only; `\s` is `[\t\n\f\r ]` (no `\v`), unlike JavaScript's.
const PERL_CLASSES: ReadonlyMap<string, readonly Range[]> = new Map([
  ["d", [r("0", "9")]],
  ["s", [r("\t", "\n"), r("\f", "\r"), r(" ")]],
  ["w", [r("0", "9"), r("A", "Z"), r("_"), r("a", "z")]],
]);

// Go's regexp/syntax posixGroup table (ASCII only).
const POSIX_CLASSES: ReadonlyMap<string, readonly Range[]> = new Map<string, readonly Range[]>([
  ["alnum", [r("0", "9"), r("A", "Z"), r("a", "z")]],
  ["alpha", [r("A", "Z"), r("a", "z")]],
  ["ascii", [[0, 0x7f]]],
  ["blank", [r("\t"), r(" ")]],
  ["cntrl", [[0, 0x1f], [0x7f, 0x7f]]],
  ["digit", [r("0", "9")]],
  ["graph", [r("!", "~")]],
  ["lower", [r("a", "z")]],
  ["print", [r(" ", "~")]],
  ["punct", [r("!", "/"), r(":", "@"), r("[", "`"), r("{", "~")]],
  ["space", [r("\t", "\r"), r(" ")]],
  ["upper", [r("A", "Z")]],
  ["word", [r("0", "9"), r("A", "Z"), r("a", "z"), r("_")]],
  ["xdigit", [r("0", "9"), r("A", "F"), r("a", "f")]],
]);

// Unicode general categories as Go's `unicode.Categories` names them; other names are scripts.
const GENERAL_CATEGORIES = new Set(
  "C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(" "),
);

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function isOctal(c: number | undefined): c is number {
  return c !== undefined && c >= 0x30 && c <= 0x37;
}

/** One code point, written so that JavaScript's `u` mode reads it literally anywhere. */
function literal(c: number): string {
  if (isAlnum(c) || c === 0x5f || c === 0x2f) return String.fromCodePoint(c);
  return `\\u{${c.toString(16)}}`;
}

function rangeText([lo, hi]: Range): string {
  return lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`;
}

function classText(ranges: readonly Range[], properties: readonly string[], negated: boolean): string {
  return `[${negated ? "^" : ""}${ranges.map(rangeText).join("")}${properties.join("")}]`;
}

interface Atom {
  readonly text: string;
  /** An assertion (`^`, `$`, `\b`) must be wrapped before a quantifier can follow it in JavaScript. */
  readonly assertion: boolean;
  readonly quantified: boolean;
}

class Re2Parser {
  private readonly cps: readonly number[];
  private pos = 0;

  constructor(private readonly source: string) {
    this.cps = Array.from(source, (ch) => ch.codePointAt(0) ?? 0);
  }

  private peek(offset = 0): number | undefined {
    return this.cps[this.pos + offset];
  }

  private rest(): string {
    return String.fromCodePoint(...this.cps.slice(this.pos));
  }

  private fail(message: string): never {
    throw new Re2SyntaxError(`error parsing regexp: ${message} in \`${this.source}\``);
  }

  translate(): string {
    const out = this.sequence(false);
    if (this.pos < this.cps.length) this.fail("unexpected )");
    return out;
  }

  /** Alternatives up to the end, or up to a `)` when inside a group. */
  private sequence(inGroup: boolean): string {
    const alternatives: string[] = [];
    let atoms: Atom[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined) break;
      if (c === 0x29 /* ) */) {
        if (!inGroup) this.fail("unexpected )");
        break;
      }
      this.pos++;
      switch (c) {
        case 0x7c /* | */:
          alternatives.push(atoms.map((a) => a.text).join(""));
          atoms = [];
          break;
        case 0x28 /* ( */: {
          if (this.peek() === 0x3f /* ? */) this.fail("unsupported group syntax (?");
          const inner = this.sequence(true);
          if (this.peek() !== 0x29) this.fail("missing closing )");
          this.pos++;
          atoms.push({ text: `(?:${inner})`, assertion: false, quantified: false });
          break;
        }
        case 0x2a /* * */:
        case 0x2b /* + */:
        case 0x3f /* ? */:
          atoms = this.quantify(atoms, String.fromCodePoint(c));
          break;
        case 0x7b /* { */: {
          // `{n}`, `{n,}` or `{n,m}` is a repetition; anything else makes `{` a literal.
          const repeat = this.parseRepeat();
          if (repeat === undefined) atoms.push({ text: literal(c), assertion: false, quantified: false });
          else atoms = this.quantify(atoms, repeat);
          break;
        }
        case 0x5b /* [ */:
          atoms.push({ text: this.parseClass(), assertion: false, quantified: false });
          break;
        case 0x2e /* . */:
          // Without the `s` flag Go's `.` matches anything but a newline (JavaScript's also refuses \r).
          atoms.push({ text: "[^\\n]", assertion: false, quantified: false });
          break;
        case 0x5e /* ^ */:
          atoms.push({ text: "^", assertion: true, quantified: false });
          break;
        case 0x24 /* $ */:
          atoms.push({ text: "$", assertion: true, quantified: false });
          break;
        case 0x5c /* \ */:
          this.pos--;
          atoms.push(...this.parseEscapeAtom());
          break;
        default:
          atoms.push({ text: literal(c), assertion: false, quantified: false });
      }
    }
    alternatives.push(atoms.map((a) => a.text).join(""));
    return alternatives.join("|");
  }

  private quantify(atoms: Atom[], op: string): Atom[] {
    const last = atoms.at(-1);
    if (last === undefined) this.fail(`missing argument to repetition operator: \`${op}\``);
    // Go's Perl mode reads `x*?` as a lazy star; stacking operators (`x**`) is an error.
    if (last.quantified) this.fail(`invalid nested repetition operator: \`${op}\``);
    let text = `${last.assertion ? `(?:${last.text})` : last.text}${op}`;
    if (this.peek() === 0x3f /* ? */) {
      this.pos++;
      text += "?";
    }
    return [...atoms.slice(0, -1), { text, assertion: false, quantified: true }];
  }

  /** Go's `parseRepeat`, entered after the `{`: the JavaScript quantifier, or undefined when `{` is a literal. */
  private parseRepeat(): string | undefined {
    const start = this.pos;
    const number = (): number | undefined => {
      const digitsStart = this.pos;
      while (this.peek() !== undefined && (this.peek() ?? 0) >= 0x30 && (this.peek() ?? 0) <= 0x39) this.pos++;
      const digits = String.fromCodePoint(...this.cps.slice(digitsStart, this.pos));
      // Go refuses leading zeros; a number past 10^8 stands for "too big".
      if (digits === "" || (digits.length > 1 && digits.startsWith("0"))) return undefined;
      return digits.length > 8 ? -1 : Number(digits);
    };
    const min = number();
    if (min === undefined) {
      this.pos = start;
      return undefined;
    }
    let max: number | undefined = min;
    if (this.peek() === 0x2c /* , */) {
      this.pos++;
      if (this.peek() === 0x7d /* } */) {
        max = undefined;
      } else {
        const upper = number();
        if (upper === undefined) {
          this.pos = start;
          return undefined;
        }
        max = upper;
      }
    }
    if (this.peek() !== 0x7d) {
      this.pos = start;
      return undefined;
    }
    this.pos++;
    const written = `{${String.fromCodePoint(...this.cps.slice(start, this.pos))}`;
    if (min < 0 || min > 1000 || (max !== undefined && (max < 0 || max > 1000 || min > max))) {
      this.fail(`invalid repeat count: \`${written}\``);
    }
    return max === undefined ? `{${min},}` : max === min ? `{${min}}` : `{${min},${max}}`;
  }

  /** An escape outside a class: assertions, `\Q...\E`, Unicode and Perl classes, or one character. */
  private parseEscapeAtom(): Atom[] {
    const next = this.peek(1);
    switch (next) {
      case 0x41 /* A */:
        this.pos += 2;
        return [{ text: "^", assertion: true, quantified: false }];
      case 0x7a /* z */:
        this.pos += 2;
        return [{ text: "$", assertion: true, quantified: false }];
      case 0x62 /* b */:
        this.pos += 2;
        return [{ text: "\\b", assertion: true, quantified: false }];
      case 0x42 /* B */:
        this.pos += 2;
        return [{ text: "\\B", assertion: true, quantified: false }];
      case 0x43 /* C */:
        this.fail("invalid escape sequence: `\\C`");
        break;
      case 0x51 /* Q */: {
        this.pos += 2;
        const rest = this.rest();
        const end = rest.indexOf("\\E");
        const quoted = end < 0 ? rest : rest.slice(0, end);
        this.pos += Array.from(quoted).length + (end < 0 ? 0 : 2);
        return Array.from(quoted, (ch) => ({ text: literal(ch.codePointAt(0) ?? 0), assertion: false, quantified: false }));
      }
      default:
        break;
    }
    const unicode = this.parseUnicodeClass();
    if (unicode !== undefined) return [{ text: unicode, assertion: false, quantified: false }];
    const perl = this.parsePerlClass();
    if (perl !== undefined) return [{ text: classText(perl, [], false), assertion: false, quantified: false }];
    return [{ text: literal(this.parseEscape()), assertion: false, quantified: false }];
  }

  /** `\pN`, `\p{Name}`, `\p{^Name}`, `\PN`: a JavaScript property escape, or undefined if not one. */
  private parseUnicodeClass(): string | undefined {
    const p = this.peek(1);
    if (this.peek() !== 0x5c || (p !== 0x70 && p !== 0x50)) return undefined;
    let negated = p === 0x50;
    const start = this.pos;
    this.pos += 2;
    const c = this.peek();
    if (c === undefined) this.fail(`invalid character class range: \`${this.source.slice(start)}\``);
    let name: string;
    if (c === 0x7b /* { */) {
      const rest = this.rest();
      const end = rest.indexOf("}");
      if (end < 0) this.fail(`invalid character class range: \`${String.fromCodePoint(...this.cps.slice(start))}\``);
      name = rest.slice(1, end);
      this.pos += Array.from(rest.slice(0, end + 1)).length;
    } else {
      name = String.fromCodePoint(c);
      this.pos++;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const property = name === "Any" ? "Any" : GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
    const text = `\\${negated ? "P" : "p"}{${property}}`;
    try {
      new RegExp(text, "u");
    } catch {
      this.fail(`invalid character class range: \`\\p{${name}}\``);
    }
    return text;
  }

  /** `\d \D \s \S \w \W` as ranges, or undefined if not one. */
  private parsePerlClass(): Range[] | undefined {
    const c = this.peek(1);
    if (this.peek() !== 0x5c || c === undefined) return undefined;
    const letter = String.fromCodePoint(c);
    const ranges = PERL_CLASSES.get(letter.toLowerCase());
    if (ranges === undefined) return undefined;
    this.pos += 2;
    return letter === letter.toLowerCase() ? [...ranges] : complement(ranges);
  }

  /** Go's `parseEscape`: one character from `\x`, or an error for escapes Go does not know. */
  private parseEscape(): number {
    const start = this.pos;
    this.pos++; // the backslash
    const c = this.peek();
    if (c === undefined) this.fail("trailing backslash at end of expression");
    this.pos++;
    const bad = (): never =>
      this.fail(`invalid escape sequence: \`${String.fromCodePoint(...this.cps.slice(start, this.pos))}\``);
    if (c < 0x80 && !isAlnum(c)) return c;
    if (c >= 0x31 && c <= 0x37 && !isOctal(this.peek())) bad();
    if (c >= 0x30 && c <= 0x37) {
      let value = c - 0x30;
      for (let i = 1; i < 3; i++) {
        const d = this.peek();
        if (!isOctal(d)) break;
        value = value * 8 + d - 0x30;
        this.pos++;
      }
      return value;
    }
    switch (c) {
      case 0x78 /* x */: {
        const first = this.peek();
        if (first === undefined) return bad();
        this.pos++;
        if (first === 0x7b /* { */) {
          let value = 0;
          let digits = 0;
          for (;;) {
            const d = this.peek();
            if (d === undefined) return bad();
            this.pos++;
            if (d === 0x7d /* } */) break;
            const v = hexValue(d);
            if (v < 0) return bad();
            value = value * 16 + v;
            if (value > MAX_RUNE) return bad();
            digits++;
          }
          if (digits === 0) return bad();
          return value;
        }
        const second = this.peek();
        if (second === undefined) return bad();
        this.pos++;
        const x = hexValue(first);
        const y = hexValue(second);
        if (x < 0 || y < 0) return bad();
        return x * 16 + y;
      }
      case 0x61 /* a */:
        return 0x07;
      case 0x66 /* f */:
        return 0x0c;
      case 0x6e /* n */:
        return 0x0a;
      case 0x72 /* r */:
        return 0x0d;
      case 0x74 /* t */:
        return 0x09;
      case 0x76 /* v */:
        return 0x0b;
      default:
        return bad();
    }
  }

  /** Go's `parseClass`, entered after the `[`. */
  private parseClass(): string {
    const start = this.pos - 1;
    const missing = (): never => this.fail(`missing closing ]: \`${String.fromCodePoint(...this.cps.slice(start))}\``);
    let negated = false;
    if (this.peek() === 0x5e /* ^ */) {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const properties: string[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) missing();
      if (c === 0x5d /* ] */ && !first) break;
      first = false;
      if (c === 0x5b /* [ */ && this.peek(1) === 0x3a /* : */) {
        const named = this.parseNamedClass();
        if (named !== undefined) {
          ranges.push(...named);
          continue;
        }
      }
      const unicode = this.parseUnicodeClass();
      if (unicode !== undefined) {
        properties.push(unicode);
        continue;
      }
      const perl = this.parsePerlClass();
      if (perl !== undefined) {
        ranges.push(...perl);
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.parseClassChar(missing);
      let hi = lo;
      if (this.peek() === 0x2d /* - */ && this.peek(1) !== undefined && this.peek(1) !== 0x5d) {
        this.pos++;
        hi = this.parseClassChar(missing);
        if (hi < lo) {
          this.fail(`invalid character class range: \`${String.fromCodePoint(...this.cps.slice(rangeStart, this.pos))}\``);
        }
      }
      ranges.push([lo, hi]);
    }
    this.pos++; // the closing ]
    return classText(ranges, properties, negated);
  }

  /** `[:name:]` or `[:^name:]`, looked for (like Go) anywhere in the rest of the expression. */
  private parseNamedClass(): Range[] | undefined {
    const rest = this.rest();
    const end = rest.indexOf(":]", 2);
    if (end < 0) return undefined;
    const whole = rest.slice(0, end + 2);
    let name = whole.slice(2, -2);
    let negated = false;
    if (name.startsWith("^")) {
      negated = true;
      name = name.slice(1);
    }
    const ranges = POSIX_CLASSES.get(name);
    if (ranges === undefined) this.fail(`invalid character class range: \`${whole}\``);
    this.pos += Array.from(whole).length;
    return negated ? complement(ranges) : [...ranges];
  }

  private parseClassChar(missing: () => never): number {
    const c = this.peek();
    if (c === undefined) return missing();
    if (c === 0x5c) return this.parseEscape();
    this.pos++;
    return c;
  }
}

/** The JavaScript source (for `new RegExp(source, "u")`) of a Go regular expression; throws `Re2SyntaxError`. */
export function translateGoRegexp(source: string): string {
  return new Re2Parser(source).translate();
}
