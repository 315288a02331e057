import { describe, expect, test } from "vitest";
import { PatternSyntaxError, checkGlobSyntax, compilePattern } from "./pattern.ts";

describe("compilePattern", () => {
  test.each([
    ["a.txt", "exact", undefined],
    ["a+b(c)$", "exact", undefined],
    ["a^b", "exact", undefined],
    ["foo**", "prefix", undefined],
    ["foo/**", "prefix", undefined],
    ["**foo", "suffix", undefined],
    ["**/foo.txt", "suffix", undefined],
    ["**", "suffix", undefined],
    ["*.go", "regexp", "^[^/]*\\.go$"],
    ["?", "regexp", "^[^/]$"],
    ["**/*.go", "regexp", "^(.*/)?[^/]*\\.go$"],
    ["a/**/b", "regexp", "^a/(.*/)?b$"],
    ["a**b", "regexp", "^a(.*/)?b$"],
    ["*/**", "regexp", "^[^/]*/.*$"],
    ["***", "regexp", "^(.*/)?[^/]*$"],
    ["[a-c]*", "regexp", "^[a-c][^/]*$"],
    ["\\*x", "regexp", "^\\*x$"],
    ["x+*.txt", "regexp", "^x\\+[^/]*\\.txt$"],
    ["(*)$", "regexp", "^\\([^/]*\\)\\$$"],
    // |, { and } are not escaped: patternmatcher's bitmap cannot hold characters from 64 on.
    ["*.js|*.ts", "regexp", "^[^/]*\\.js|[^/]*\\.ts$"],
    ["a{2}*", "regexp", "^a{2}[^/]*$"],
  ])("%j is %s %s", (pattern, kind, goRegexp) => {
    const compiled = compilePattern(pattern);
    expect(compiled.kind).toBe(kind);
    expect(compiled.goRegexp).toBe(goRegexp);
  });

  test("prefix and suffix patterns are plain string tests, unlike their regexps", () => {
    const suffix = compilePattern("**foo");
    expect(["foo", "barfoo", "x/yfoo"].map(suffix.test)).toEqual([true, true, true]);
    expect(suffix.test("foox")).toBe(false);
    const slashSuffix = compilePattern("**/foo");
    expect(["foo", "a/foo", "afoo"].map(slashSuffix.test)).toEqual([true, true, false]);
    const prefix = compilePattern("foo**");
    expect(["foo", "foobar", "foo/x", "fo"].map(prefix.test)).toEqual([true, true, true, false]);
    expect(compilePattern("**").test("anything/at/all")).toBe(true);
  });

  test("throws PatternSyntaxError where Go fails", () => {
    for (const bad of ["[", "a\\", "[]", "[z-a]", "\\q", "a{1001}*"]) {
      expect(() => compilePattern(bad), bad).toThrow(PatternSyntaxError);
    }
  });
});

describe("checkGlobSyntax", () => {
  test.each(["a", "[a]", "[^a]", "[!a]", "[a-z0-9]", "[\\]]", "[\\-]", "[*]", "[[]", "a]", "\\*", "\\\\"])(
    "accepts %j",
    (pattern) => {
      expect(() => {
        checkGlobSyntax(pattern);
      }).not.toThrow();
    },
  );

  test.each(["[", "a[", "[a", "[]", "[]a]", "[^]", "[-a]", "[a-]", "[a-b-c]", "[a--]", "[^-a]", "a\\", "[\\", "[a\\"])(
    "rejects %j",
    (pattern) => {
      expect(() => {
        checkGlobSyntax(pattern);
      }).toThrow(PatternSyntaxError);
    },
  );
});
