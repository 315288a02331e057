// Character classes of the Go code that reads a Dockerfile (moby/buildkit frontend/dockerfile/parser and
// shell/lex.go). They differ from JavaScript's: Go's `unicode.IsSpace` includes U+0085 and excludes U+FEFF,
// which JavaScript's `\s` does the other way round.

/** The characters of Go's `unicode.IsSpace`, as a regular-expression class body. */
const GO_SPACE_CLASS = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** Matches one character for which Go's `unicode.IsSpace` is true. */
export const GO_SPACE = new RegExp(`[${GO_SPACE_CLASS}]`, "u");

/** `strings.TrimSpace`: removes leading and trailing `unicode.IsSpace` characters. */
export function goTrimSpace(text: string): string {
  return text.replace(new RegExp(`^[${GO_SPACE_CLASS}]+|[${GO_SPACE_CLASS}]+$`, "gu"), "");
}

/** `strings.TrimLeftFunc(text, unicode.IsSpace)`. */
export function goTrimLeftSpace(text: string): string {
  return text.replace(new RegExp(`^[${GO_SPACE_CLASS}]+`, "u"), "");
}

/** True when `text` is empty or only `unicode.IsSpace` characters. */
export function isGoBlank(text: string): boolean {
  return goTrimSpace(text) === "";
}

/** A lone UTF-16 surrogate: a string holding one cannot be written as UTF-8, so no Dockerfile can carry it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `text` is well-formed UTF-16 (it has no lone surrogate). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
