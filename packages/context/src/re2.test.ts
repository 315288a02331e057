import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Re2SyntaxError, translateGoRegexp } from "./re2.ts";

function re(source: string): RegExp {
  return new RegExp(translateGoRegexp(source), "u");
}

describe("translateGoRegexp", () => {
  test("writes literals so that JavaScript's u mode reads them literally", () => {
    expect(translateGoRegexp("^a\\.b/c!$")).toBe("^a\\u{2e}b/c\\u{21}$");
    expect(translateGoRegexp("^[^/]*$")).toBe("^[^/]*$");
    expect(translateGoRegexp("^(.*/)?x$")).toBe("^(?:[^\\n]*/)?x$");
  });

  test("Go's . refuses only \\n; a negated class takes \\n and /", () => {
    expect(re("^.$").test("\n")).toBe(false);
    expect(re("^.$").test("\r")).toBe(true);
    expect(re("^[^a]$").test("\n")).toBe(true);
    expect(re("^x[^a]y$").test("x/y")).toBe(true);
  });

  test("Perl classes are ASCII, with Go's \\s", () => {
    expect(re("^\\s$").test("\v")).toBe(false);
    expect(re("^\\s$").test("\u00a0")).toBe(false);
    expect(re("^\\S$").test("\v")).toBe(true);
    expect(re("^\\d+$").test("0123456789")).toBe(true);
    expect(re("^\\d$").test("٣")).toBe(false);
    expect(re("^[\\w-]+$").test("a_b-9")).toBe(true);
    expect(re("^\\W$").test("é")).toBe(true);
  });

  test("POSIX classes, negated or not", () => {
    expect(["a", "Z", "1", "é"].map((s) => re("^[[:alpha:]]$").test(s))).toEqual([true, true, false, false]);
    expect(["a", "1", "é"].map((s) => re("^[[:^digit:]]$").test(s))).toEqual([true, false, true]);
    expect(["\t", " ", "x"].map((s) => re("^[[:blank:]]$").test(s))).toEqual([true, true, false]);
    expect(() => re("^[[:nope:]]$")).toThrow(Re2SyntaxError);
    expect(() => re("^[[:alpha:]$")).toThrow(/missing closing \]/);
  });

  test("generated text inside a class is class members", () => {
    // [*] in a pattern becomes [[^/]*]: the class { [ ^ / } repeated, then a literal ].
    const star = re("^[[^/]*]$");
    expect(["]", "[]", "^/]", "*", "x]"].map((s) => star.test(s))).toEqual([true, true, true, false, false]);
  });

  test("escapes: hex, octal, C escapes, \\Q...\\E, assertions", () => {
    expect(re("^\\x41\\101\\x{1F600}$").test("AA😀")).toBe(true);
    expect(re("^\\t\\n$").test("\t\n")).toBe(true);
    expect(re("^\\Qa.b*\\E$").test("a.b*")).toBe(true);
    expect(re("^\\Qa.b*$").test("a.b*$")).toBe(true);
    expect(re("^a\\b$").test("a")).toBe(true);
    expect(re("\\Aab\\z").test("ab")).toBe(true);
    expect(re("^\\_$").test("_")).toBe(true);
  });

  test("Unicode classes", () => {
    expect(["α", "a", "1"].map((s) => re("^\\p{Greek}$").test(s))).toEqual([true, false, false]);
    expect(["é", "1"].map((s) => re("^\\pL$").test(s))).toEqual([true, false]);
    expect(["é", "1"].map((s) => re("^\\PL$").test(s))).toEqual([false, true]);
    expect(["α", "a"].map((s) => re("^\\p{^Greek}$").test(s))).toEqual([false, true]);
    expect(["α", "1"].map((s) => re("^[\\p{Greek}\\d]$").test(s))).toEqual([true, true]);
  });

  test("repetitions, with { a literal when it starts none", () => {
    expect(["aa", "aaa", "a"].map((s) => re("^a{2}$").test(s))).toEqual([true, false, false]);
    expect(["aa", "aaaa"].map((s) => re("^a{2,}$").test(s))).toEqual([true, true]);
    expect(["a", "aaa", "aaaa"].map((s) => re("^a{1,3}$").test(s))).toEqual([true, true, false]);
    expect(re("^a{x}$").test("a{x}")).toBe(true);
    expect(re("^a{,2}$").test("a{,2}")).toBe(true);
    expect(re("^a{02}$").test("a{02}")).toBe(true);
    expect(re("^a}$").test("a}")).toBe(true);
    expect(re("^a*?b$").test("aab")).toBe(true);
  });

  test("alternation", () => {
    const alt = re("^[^/]*\\.js|[^/]*\\.ts$");
    expect(["a.js", "a.json", "b.ts", "src/c.ts", "src/d.js", "x.tsx"].map((s) => alt.test(s))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  test.each([
    ["a**", "invalid nested repetition operator"],
    ["a*{2}", "invalid nested repetition operator"],
    ["a{1001}", "invalid repeat count"],
    ["a{3,2}", "invalid repeat count"],
    ["*", "missing argument to repetition operator"],
    ["[z-a]", "invalid character class range"],
    ["[a", "missing closing ]"],
    ["\\q", "invalid escape sequence"],
    ["\\1", "invalid escape sequence"],
    ["\\8", "invalid escape sequence"],
    ["\\é", "invalid escape sequence"],
    ["\\x4", "invalid escape sequence"],
    ["\\xZZ", "invalid escape sequence"],
    ["\\C", "invalid escape sequence"],
    ["\\", "trailing backslash"],
    ["\\p{Nope}", "invalid character class range"],
    ["(?i)a", "unsupported group syntax"],
    ["(a", "missing closing )"],
    ["a)", "unexpected )"],
  ])("rejects %j (%s)", (source, message) => {
    expect(() => translateGoRegexp(source)).toThrow(Re2SyntaxError);
    expect(() => translateGoRegexp(source)).toThrow(message);
  });

  test("property: a string of plain characters matches exactly itself", () => {
    const plain = fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) => !/[\\^$.|?*+()[\]{}]/.test(s));
    fc.assert(
      fc.property(plain, fc.string({ maxLength: 3 }), (text, extra) => {
        const exact = re(`^${text}$`);
        expect(exact.test(text)).toBe(true);
        if (extra !== "") expect(exact.test(text + extra)).toBe(false);
      }),
    );
  });
});
