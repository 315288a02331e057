import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseDockerignore } from "./dockerignore.ts";
import { ContextError } from "./errors.ts";
import { IgnoreMatcher } from "./matcher.ts";
import type { MatchResult } from "./matcher.ts";

function matcher(text: string): IgnoreMatcher {
  return new IgnoreMatcher(parseDockerignore(text));
}

/** Matches `path` the way a walker does: each ancestor first, passing its result down. */
function walkMatch(m: IgnoreMatcher, path: string): MatchResult {
  const parts = path.split("/");
  let parent: MatchResult | undefined;
  for (let i = 1; i <= parts.length; i++) parent = m.match(parts.slice(0, i).join("/"), parent);
  if (parent === undefined) throw new Error("empty path");
  return parent;
}

function excluded(text: string, paths: readonly string[]): string[] {
  const m = matcher(text);
  return paths.filter((path) => walkMatch(m, path).excluded);
}

describe("IgnoreMatcher.match", () => {
  test("reports the deciding rule and every rule's match", () => {
    const m = matcher("*.md\n!README.md\nsrc\n");
    const [md, readme, src] = parseDockerignore("*.md\n!README.md\nsrc\n");
    expect(m.match("README.md", undefined)).toEqual({ excluded: false, rule: readme, ruleMatches: [true, true, false] });
    expect(m.match("guide.md", undefined)).toEqual({ excluded: true, rule: md, ruleMatches: [true, false, false] });
    expect(m.match("a.txt", undefined)).toEqual({ excluded: false, ruleMatches: [false, false, false] });
    const dir = m.match("src", undefined);
    expect(dir).toEqual({ excluded: true, rule: src, ruleMatches: [false, false, true] });
    expect(m.match("src/x.md", dir)).toEqual({ excluded: true, rule: src, ruleMatches: [false, false, true] });
  });

  test("a rule that matched the parent matches the child", () => {
    expect(excluded("a/b\n", ["a", "a/b", "a/b/c", "a/b/c/d", "a/bc", "b"])).toEqual(["a/b", "a/b/c", "a/b/c/d"]);
    expect(excluded("*/b\n", ["x/b", "x/b/c", "b", "x/bb"])).toEqual(["x/b", "x/b/c"]);
  });

  test("last match wins", () => {
    expect(excluded("*.md\n!README.md\n", ["README.md", "b.md"])).toEqual(["b.md"]);
    expect(excluded("!README.md\n*.md\n", ["README.md", "b.md"])).toEqual(["README.md", "b.md"]);
  });

  test("does not test a rule that cannot change the outcome, so a repeated rule does not exclude again", () => {
    // patternmatcher's MatchesUsingParentResults: for a/b the third rule is skipped at `a`, then tested on
    // `a/b` alone. The engine keeps a/b/c (case repeated-pattern-after-exception).
    const m = matcher("a\n!a/b\na\n");
    const a = m.match("a", undefined);
    expect(a.ruleMatches).toEqual([true, false, false]);
    const ab = m.match("a/b", a);
    expect(ab).toMatchObject({ excluded: false, ruleMatches: [true, true, false] });
    expect(m.match("a/b/c", ab).excluded).toBe(false);
    // Without the parent's result every ancestor is tested instead (MatchesOrParentMatches).
    expect(m.match("a/b/c", undefined).excluded).toBe(true);
  });

  test("without a parent result, tests every ancestor", () => {
    const m = matcher("a/b\n");
    expect(m.match("a/b/c/d", undefined)).toMatchObject({ excluded: true, ruleMatches: [true] });
    expect(m.match("a/b/c/d", { excluded: false })).toMatchObject({ excluded: true });
  });

  test("refuses a parent result from another matcher", () => {
    const other = matcher("x\ny\n").match("x", undefined);
    expect(() => matcher("a\n").match("a/b", other)).toThrow(ContextError);
  });

  test.each([
    ["**/*.go", ["x.go", "a/y.go", "a/b/z.go"], ["go", "a/x.gox"]],
    ["a/**/b", ["a/b", "a/x/b", "a/x/y/b"], ["a/bb", "b", "c/a/b"]],
    ["foo**", ["foo", "foobar", "foo/x"], ["fo", "xfoo"]],
    ["**foo", ["foo", "barfoo", "x/yfoo"], ["foox", "fo"]],
    ["a**b", ["ab", "a/b", "ax/b"], ["axb"]],
    ["x[^a]y", ["x/y", "xby"], ["xay"]],
    ["[!a].txt", ["a.txt", "!.txt"], ["b.txt"]],
    ["[[:upper:]]*", ["README", "Makefile"], ["readme"]],
    ["[*]", ["]", "[]", "^^]"], ["*", "x"]],
    ["f\\d", ["f1"], ["fd", "f12"]],
    ["a\\b", ["a"], ["ab", "a\\b"]],
    ["a\\sb", ["a b", "a\tb"], ["asb"]],
    ["x^*", [], ["x^", "x^y"]],
    ["a^b", ["a^b"], ["ab"]],
    ["a+b(c)|{d}", ["a+b(c)|{d}"], ["aab(c)|{d}"]],
    ["?.md", ["é.md", "😀.md"], ["ab.md"]],
    ["[α-β]", ["α", "β"], ["ω"]],
    ["\\x41", ["A"], ["x41"]],
    // \Q quotes the rest of the regexp, including what patternmatcher generated for the *.
    ["\\Qa*", ["a[^/]*$"], ["a", "a[^", "ab"]],
  ])("%j", (pattern, yes, no) => {
    const m = matcher(`${pattern}\n`);
    for (const path of yes) expect(walkMatch(m, path).excluded, path).toBe(true);
    for (const path of no) expect(walkMatch(m, path).excluded, path).toBe(false);
  });
});

describe("IgnoreMatcher.mayMatchUnder", () => {
  test("is false without exclusions", () => {
    const m = matcher("a\nb\n");
    expect(m.hasExclusions).toBe(false);
    expect(m.mayMatchUnder("a")).toBe(false);
  });

  test("with literal exclusions, is true only for directories on their path", () => {
    const m = matcher("dir\n!dir/sub/file\n!other/x/*\n");
    expect(m.hasExclusions).toBe(true);
    expect(["dir", "dir/sub", "other", "other/x", "dirx", "dir/subx", "d"].map((d) => m.mayMatchUnder(d))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  test("with an exclusion holding * ? [ ] ^ or \\, is always true", () => {
    for (const exception of ["!**/keep", "!a?", "![ab]", "!a^", "!a\\b", "!x/*/y"]) {
      expect(matcher(`dir\n${exception}\n`).mayMatchUnder("anything"), exception).toBe(true);
    }
    // A trailing /* or /** alone does not count.
    expect(matcher("dir\n!keep/**\n").mayMatchUnder("dir")).toBe(false);
  });
});

// Characters that mean something in a pattern, in Go's regexp or to the reader; escaping them with \ makes them
// literal (every one is ASCII punctuation, which RE2 always takes literally after a \).
const SPECIAL = new Set(Array.from("*?[]\\^$.+()|{}!#-"));
const nameChar = fc.oneof(
  fc.constantFrom(...Array.from("abcXYZ019_-. *?[]\\^$+()|{}!#é😀")),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((c) => c !== "/" && !/^\s$/u.test(c)),
);
const segment = fc
  .array(nameChar, { minLength: 1, maxLength: 6 })
  .map((chars) => chars.join(""))
  .filter((s) => s !== "." && s !== ".." && s.trim() === s && !/[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(s));
const relativePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));

function escapeLiteral(path: string): string {
  return Array.from(path, (ch) => (SPECIAL.has(ch) ? `\\${ch}` : ch)).join("");
}

describe("properties", () => {
  test("an escaped literal pattern matches exactly its path and everything below it", () => {
    fc.assert(
      fc.property(relativePath, fc.constantFrom("x", "é"), (path, extra) => {
        const m = matcher(`${escapeLiteral(path)}\n`);
        expect(walkMatch(m, path).excluded).toBe(true);
        expect(walkMatch(m, `${path}/${extra}`).excluded).toBe(true);
        expect(walkMatch(m, `${path}${extra}`).excluded).toBe(false);
        const elsewhere = path.startsWith(`${extra}/`) || path === extra ? `${extra}${extra}` : extra;
        expect(walkMatch(m, `${elsewhere}/${path}`).excluded).toBe(false);
      }),
    );
  });

  test("**/name matches name at any depth", () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 3 }), segment, (dirs, name) => {
        const m = matcher(`**/${escapeLiteral(name)}\n`);
        expect(walkMatch(m, [...dirs, name].join("/")).excluded).toBe(true);
      }),
    );
  });

  test("an exception right after a rule re-includes what it names", () => {
    fc.assert(
      fc.property(relativePath, fc.constantFrom("*", "**", "*/*", "**/*"), (path, rule) => {
        const m = matcher(`${rule}\n!${escapeLiteral(path)}\n`);
        expect(walkMatch(m, path).excluded).toBe(false);
      }),
    );
  });

  test("matching is deterministic and does not depend on earlier calls", () => {
    fc.assert(
      fc.property(fc.array(relativePath, { minLength: 1, maxLength: 8 }), (paths) => {
        const text = "*.md\n!README*\n**/b*\n[a-c]?/**\n";
        const first = paths.map((p) => walkMatch(matcher(text), p));
        const shared = matcher(text);
        const second = paths.map((p) => walkMatch(shared, p));
        expect(second).toEqual(first);
      }),
    );
  });
});
