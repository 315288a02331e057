import { ChutesError } from "@chutes/image-core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dockerTransportProblem, goCleanPath, goTrimSpace, parseDockerignore } from "./dockerignore.ts";
import { ContextError } from "./errors.ts";

function patterns(text: string): string[] {
  return parseDockerignore(text).map((rule) => (rule.exclusion ? `!${rule.pattern}` : rule.pattern));
}

function parseError(text: string, source?: string): ContextError {
  try {
    parseDockerignore(text, source);
  } catch (error) {
    if (error instanceof ContextError) return error;
    throw error;
  }
  throw new Error("expected a ContextError");
}

describe("parseDockerignore", () => {
  test("returns each rule with its line, text, cleaned pattern and kind", () => {
    expect(parseDockerignore("# deps\nnode_modules/\n\n  !node_modules/keep  \n/build\n")).toEqual([
      { line: 2, text: "node_modules/", pattern: "node_modules", exclusion: false },
      { line: 4, text: "  !node_modules/keep  ", pattern: "node_modules/keep", exclusion: true },
      { line: 5, text: "/build", pattern: "build", exclusion: false },
    ]);
  });

  test("only a # in the first column starts a comment", () => {
    expect(patterns("#a\n #b\n\t#c\nd#e\n")).toEqual(["#b", "#c", "d#e"]);
  });

  test("splits lines like bufio.ScanLines: LF, CRLF, no final newline; a lone CR stays in the line", () => {
    expect(patterns("a\r\nb\nc")).toEqual(["a", "b", "c"]);
    expect(patterns("a\rb\n")).toEqual(["a\rb"]);
    expect(patterns("a\r\r\n")).toEqual(["a"]);
    expect(parseDockerignore("\n\na\n")[0]?.line).toBe(3);
  });

  test("drops a BOM before the first line only", () => {
    expect(parseDockerignore("\uFEFFa\n")).toEqual([{ line: 1, text: "a", pattern: "a", exclusion: false }]);
    expect(patterns("\uFEFF#comment\nb\n")).toEqual(["b"]);
    expect(patterns("a\n\uFEFFb\n")).toEqual(["a", "\uFEFFb"]);
  });

  test("trims Go's white space: U+0085 and U+00A0 yes, U+FEFF no", () => {
    expect(patterns("a\u0085\n\u00a0b\u3000\n\u2003c\t\v\f\n")).toEqual(["a", "b", "c"]);
    expect(patterns("d\uFEFF\n")).toEqual(["d\uFEFF"]);
  });

  test("trims after the !", () => {
    expect(patterns("!  a  \n!\tb\n")).toEqual(["!a", "!b"]);
  });

  test("cleans like filepath.Clean and removes one leading slash", () => {
    expect(patterns(["./a", "/b", "//c", "d/", "e//f", "g/./h", "i/../j", "k/..", "../l", ".", "/", "/..", "!/m", "!./n/"].join("\n"))).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e/f",
      "g/h",
      "j",
      ".",
      "../l",
      ".",
      "/",
      "/",
      "!m",
      "!n",
    ]);
  });

  test("trims and cleans twice, as ignorefile and patternmatcher.New each do", () => {
    // " a" is what ReadAll makes of x/../ a; New trims it again. For an exception the space survives.
    expect(patterns("x/../ a\n!x/../ b\nx/../!c\nx/../ /y/..\n")).toEqual(["a", "! b", "!c"]);
  });

  test("keeps escapes and metacharacters as written", () => {
    expect(patterns("\\!a\n\\#b\na+b(c)|{d}\n[a-c]*\n")).toEqual(["\\!a", "\\#b", "a+b(c)|{d}", "[a-c]*"]);
  });

  test.each([
    ["!", 'illegal exclusion pattern: "!"'],
    ["! ", 'illegal exclusion pattern: "!"'],
    ["!/", 'illegal exclusion pattern: "!"'],
    ["a[", "syntax error in pattern"],
    ["[]a", "syntax error in pattern"],
    ["x[^]", "syntax error in pattern"],
    ["[a-]", "syntax error in pattern"],
    ["[-a]", "syntax error in pattern"],
    ["[a-b-c]", "syntax error in pattern"],
    ["a\\", "syntax error in pattern"],
    ["![", "syntax error in pattern"],
    ["[z-a]", "invalid character class range"],
    ["[[:nope:]]", "invalid character class range"],
    ["[[:alpha:]", "missing closing ]"],
    ["\\q", "invalid escape sequence"],
    ["a\\1", "invalid escape sequence"],
    ["\\é", "invalid escape sequence"],
    ["\\C", "invalid escape sequence"],
    ["\\p{Nope}", "invalid character class range"],
    ["\\x{}", "invalid escape sequence"],
    ["a{1001}*", "invalid repeat count"],
    ["a{2,1}*", "invalid repeat count"],
    ["a*{2}", "invalid nested repetition operator"],
  ])("rejects %j (%s)", (line, why) => {
    const error = parseError(`ok\n${line}\n`, "app/.dockerignore");
    expect(error).toBeInstanceOf(ChutesError);
    expect(error).toMatchObject({ code: "invalid-dockerignore", path: "app/.dockerignore", line: 2 });
    expect(error.message).toContain(`app/.dockerignore:2: invalid pattern ${JSON.stringify(line)}`);
    expect(error.message).toContain(why);
  });

  test("names .dockerignore when no source is given", () => {
    expect(parseError("[").message).toMatch(/^\.dockerignore:1: /);
  });

  test("accepts what Go accepts", () => {
    const ok = ["[!a]", "[^a]", "[\\]]", "[*]", "[?]", "[[:alpha:]]", "[[:^digit:]]", "\\d\\s\\w\\b", "\\x41\\101\\x{1F600}", "\\pL\\PN\\p{Greek}\\p{^Greek}", "*.js|*.ts", "a{2}*", "a{x}*", "a{,2}*", "a{1000}*", "a^b", "\\Qa.b", "[a\\-z]", "**/**", "***"];
    for (const line of ok) expect(() => parseDockerignore(line), line).not.toThrow();
  });
});

describe("dockerTransportProblem", () => {
  test("finds a pattern with an ASCII control character when every pattern is ASCII", () => {
    const rules = parseDockerignore("a\nb\tc\nd\n");
    expect(dockerTransportProblem(rules)).toBe(rules[1]);
    expect(dockerTransportProblem(parseDockerignore("x\u007fy\n"))?.line).toBe(1);
  });

  test("finds nothing when a non-ASCII pattern makes BuildKit percent-encode them all", () => {
    expect(dockerTransportProblem(parseDockerignore("b\tc\né\n"))).toBeUndefined();
    expect(dockerTransportProblem(parseDockerignore("é\n"))).toBeUndefined();
    expect(dockerTransportProblem(parseDockerignore("plain\n*.go\n"))).toBeUndefined();
    expect(dockerTransportProblem([])).toBeUndefined();
  });
});

describe("goCleanPath", () => {
  test.each([
    ["", "."],
    [".", "."],
    ["/", "/"],
    ["//", "/"],
    ["a/b/", "a/b"],
    ["a//b", "a/b"],
    ["./a", "a"],
    ["a/./b/.", "a/b"],
    ["a/../b", "b"],
    ["a/..", "."],
    ["..", ".."],
    ["../../a", "../../a"],
    ["a/../../b", "../b"],
    ["/../a", "/a"],
    ["/..", "/"],
  ])("%j is %j", (input, output) => {
    expect(goCleanPath(input)).toBe(output);
  });

  test("is idempotent and leaves no empty, '.' or trailing segment", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", ".", "..", "", "/"), { maxLength: 12 }), (parts) => {
        const cleaned = goCleanPath(parts.join("/"));
        expect(goCleanPath(cleaned)).toBe(cleaned);
        if (cleaned !== "/" && cleaned !== ".") {
          expect(cleaned.replace(/^\//, "").split("/")).not.toContain("");
          expect(cleaned.split("/")).not.toContain(".");
        }
      }),
    );
  });
});

describe("goTrimSpace", () => {
  test("trims the Unicode white space Go trims", () => {
    expect(goTrimSpace("\t\n\v\f\r \u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000x y\u00a0")).toBe("x y");
    expect(goTrimSpace("\uFEFFx\u200b")).toBe("\uFEFFx\u200b");
  });
});
