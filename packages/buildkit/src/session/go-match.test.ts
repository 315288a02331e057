import { describe, expect, it } from "vitest";
import { goMatch } from "./go-match.ts";

describe("goMatch (Go filepath.Match)", () => {
  // Cases from Go's documented semantics; [pattern, name, matches].
  it.each([
    ["abc", "abc", true],
    ["*", "abc", true],
    ["*c", "abc", true],
    ["a*", "a", true],
    ["a*", "abc", true],
    ["a*", "ab/c", false],
    ["a*/b", "abc/b", true],
    ["a*/b", "a/c/b", false],
    ["a*b*c*d*e*/f", "axbxcxdxe/f", true],
    ["a*b*c*d*e*/f", "axbxcxdxexxx/f", true],
    ["a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false],
    ["a*b?c*x", "abxbbxdbxebxczzx", true],
    ["a*b?c*x", "abxbbxdbxebxczzy", false],
    ["ab[c]", "abc", true],
    ["ab[b-d]", "abc", true],
    ["ab[e-g]", "abc", false],
    ["ab[^c]", "abc", false],
    ["ab[^b-d]", "abc", false],
    ["ab[^e-g]", "abc", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "ab", false],
    ["a?b", "a☺b", true],
    ["a[^a]b", "a☺b", true],
    ["a???b", "a☺b", false],
    ["[a-ζ]*", "α", true],
    ["*[a-ζ]", "A", false],
    ["a?b", "a/b", false],
    ["a*b", "a/b", false],
    ["[\\]a]", "]", true],
    ["[\\-]", "-", true],
    ["[x\\-]", "z", false],
    ["*x", "xxx", true],
    ["Dockerfile", "Dockerfile", true],
    ["Dockerfile", "Dockerfile.dockerignore", false],
  ])("%s vs %s → %s", (pattern, name, expected) => {
    expect(goMatch(pattern, name)).toBe(expected);
  });

  it.each([["[]a]"], ["[-]"], ["[x-]"], ["["], ["[^"], ["[^bc"], ["a["], ["a\\"], ["[a-b-c]"]])("a malformed pattern (%s) matches nothing", (pattern) => {
    expect(goMatch(pattern, "a")).toBe(false);
    expect(goMatch(pattern, "]")).toBe(false);
  });
});
