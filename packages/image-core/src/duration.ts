// Go's `time.ParseDuration`, the syntax of HEALTHCHECK's `--interval`, `--timeout`, `--start-period` and
// `--start-interval` (Docker parses them with it and stores nanoseconds in the image config).

const NANOS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ["ns", 1n],
  ["us", 1_000n],
  ["\u00b5s", 1_000n], // µ, MICRO SIGN
  ["\u03bcs", 1_000n], // μ, GREEK SMALL LETTER MU
  ["ms", 1_000_000n],
  ["s", 1_000_000_000n],
  ["m", 60_000_000_000n],
  ["h", 3_600_000_000_000n],
]);

const MAX_DURATION = (1n << 63n) - 1n;
/** Go accumulates in a uint64 and checks against 1<<63 as it goes. */
const LIMIT = 1n << 63n;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/**
 * Parses a Go duration (`30s`, `1m30s`, `1.5h`, `500ms`, `10us`/`10µs`, `100ns`; a bare `0` is allowed) into
 * nanoseconds. Returns `undefined` when Go would reject the text, and for negative durations and the empty
 * string. Values above 2^53 ns (about 104 days) lose precision as a JavaScript number.
 */
export function parseDuration(text: string): number | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;

  let total = 0n;
  while (s !== "") {
    if (!(s.startsWith(".") || isDigit(s[0]))) return undefined;

    // Integer part, [0-9]*
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      if (whole > LIMIT / 10n) return undefined;
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > LIMIT) return undefined;
      i++;
    }
    const hasWhole = i > 0;
    s = s.slice(i);

    // Fraction, (\.[0-9]*)?  Digits past uint64 precision are consumed and ignored, as in Go.
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s.startsWith(".")) {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow) {
          const next = fraction * 10n + BigInt(s.charCodeAt(j) - 48);
          if (fraction > MAX_DURATION / 10n || next > LIMIT) {
            overflow = true;
          } else {
            fraction = next;
            scale *= 10;
          }
        }
        j++;
      }
      hasFraction = j > 0;
      s = s.slice(j);
    }
    if (!hasWhole && !hasFraction) return undefined;

    // Unit: everything up to the next digit or dot.
    let k = 0;
    while (k < s.length && !(s[k] === "." || isDigit(s[k]))) k++;
    if (k === 0) return undefined;
    const unit = NANOS_PER_UNIT.get(s.slice(0, k));
    s = s.slice(k);
    if (unit === undefined) return undefined;

    if (whole > LIMIT / unit) return undefined;
    let value = whole * unit;
    if (fraction > 0n) {
      // Go computes the fraction in float64 and truncates: nanosecond-exact even for fractions of hours.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > LIMIT) return undefined;
    }
    total += value;
    if (total > LIMIT) return undefined;
  }
  if (negative) return total === 0n ? 0 : undefined;
  if (total > MAX_DURATION) return undefined;
  return Number(total);
}
