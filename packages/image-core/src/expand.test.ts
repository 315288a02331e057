import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChutesError } from "./errors.ts";
import { ExpansionError, escapeLiteral, expandWord, referencedVariables } from "./expand.ts";

function env(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
}

const none = env({});

function expansionError(text: string, lookup = none): ExpansionError {
  try {
    expandWord(text, lookup);
  } catch (error) {
    if (error instanceof ExpansionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe("expandWord: names", () => {
  const vars = env({ A: "alpha", B: "beta", EMPTY: "", A_1: "underscore", café: "unicode", PATH: "/usr/bin" });

  it.each([
    ["$A", "alpha"],
    ["${A}", "alpha"],
    ["$A$B", "alphabeta"],
    ["${A}x", "alphax"],
    ["$Ax", ""],
    ["$A_1", "underscore"],
    ["$A-1", "alpha-1"],
    ["x/$A/y", "x/alpha/y"],
    ["$UNSET", ""],
    ["${UNSET}", ""],
    ["$EMPTY|", "|"],
    ["$café", "unicode"],
    ["/opt/python/bin:$PATH", "/opt/python/bin:/usr/bin"],
  ])("%s → %s", (text, expected) => {
    expect(expandWord(text, vars)).toBe(expected);
  });

  it("keeps a $ that starts no name", () => {
    expect(expandWord("$", vars)).toBe("$");
    expect(expandWord("a$", vars)).toBe("a$");
    expect(expandWord("$ A", vars)).toBe("$ A");
    expect(expandWord("$/x", vars)).toBe("$/x");
    expect(expandWord("100$.", vars)).toBe("100$.");
    expect(expandWord("$%", vars)).toBe("$%");
  });

  it("reads positional and special parameters as BuildKit does: never set, so empty", () => {
    expect(expandWord("$1", vars)).toBe("");
    expect(expandWord("$12abc", vars)).toBe("abc");
    expect(expandWord("$$", vars)).toBe("");
    expect(expandWord("a$@b", vars)).toBe("ab");
    expect(expandWord("$*$#$?$-$!$0", vars)).toBe("");
    expect(expandWord("${1}", vars)).toBe("");
  });

  it("treats quotes as literal characters", () => {
    expect(expandWord(`"$A" '$B'`, vars)).toBe(`"alpha" 'beta'`);
    expect(expandWord(`it's`, vars)).toBe(`it's`);
    expect(expandWord(`\${A:-"x y"}`, vars)).toBe("alpha");
    expect(expandWord(`\${UNSET:-"x y"}`, vars)).toBe(`"x y"`);
  });

  it("passes the name to the lookup exactly", () => {
    const seen: string[] = [];
    expandWord("$a ${B} ${C:-$D}", (name) => {
      seen.push(name);
      return undefined;
    });
    expect(seen).toEqual(["a", "B", "D", "C"]);
  });
});

describe("expandWord: escapes", () => {
  const vars = env({ A: "alpha" });

  it.each([
    ["\\$A", "$A"],
    ["\\${A}", "${A}"],
    ["\\\\$A", "\\alpha"],
    ["\\\\", "\\"],
    ["\\a", "\\a"],
    ["C:\\Users\\$A", "C:\\Users$A"],
    ["C:\\Users\\\\$A", "C:\\Users\\alpha"],
    ["trailing\\", "trailing\\"],
    ["\\}", "\\}"],
    ["${UNSET:-a\\}b}", "a}b"],
    ["${UNSET:-\\$A}", "$A"],
    ["${UNSET:-\\\\}", "\\"],
    ["${UNSET:-\\x}", "\\x"],
  ])("%s → %s", (text, expected) => {
    expect(expandWord(text, vars)).toBe(expected);
  });
});

describe("expandWord: modifiers", () => {
  // The cases of BuildKit's TestProcessWithMatches (frontend/dockerfile/shell/lex_test.go).
  it.each<[string, Record<string, string>, string]>([
    ["x", { DUMMY: "dummy" }, "x"],
    ["x ${UNUSED}", { DUMMY: "dummy" }, "x "],
    ["x ${FOO}", { FOO: "y" }, "x y"],
    ["${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", { FOO: "xxx", BAR: "" }, "xxx  ccc"],
    ["${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", { FOO: "xxx", BAR: "" }, "xxx bbb ccc"],
    ["${FOO:-}", { FOO: "xxx", BAR: "" }, "xxx"],
    ["${FOO:-}", {}, ""],
    ["${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", { FOO: "xxx", BAR: "" }, "aaa bbb "],
    ["${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", { FOO: "xxx", BAR: "" }, "aaa  "],
    ["${FOO?aaa}", { FOO: "xxx", BAR: "" }, "xxx"],
    ["${BAR?bbb}", { FOO: "xxx", BAR: "" }, ""],
    ["${FOO:?aaa}", { FOO: "xxx", BAR: "" }, "xxx"],
    ["${FOO#()[]{\\}^$.\\*\\?|\\\\}", { FOO: "()[]{}^$.*?|\\x" }, "x"],
    ["${FOO%%\\**}", { FOO: "xx**" }, "xx"],
    ["${FOO#*x*y}", { FOO: "xxyy" }, "y"],
    ["${FOO#*}", { FOO: "xxyy" }, "xxyy"],
    ["${FOO#$BAR}", { FOO: "xxyy", BAR: "x" }, "xyy"],
    ["${FOO#$BAR}", { FOO: "xxyy", BAR: "" }, "xxyy"],
    ["${FOO#}", { FOO: "xxyy" }, "xxyy"],
    ["${FOO##*x}", { FOO: "xxyy" }, "yy"],
    ["${FOO##}", { FOO: "xxyy" }, "xxyy"],
    ["${FOO#?\\?}", { FOO: "???y" }, "?y"],
    ["${ABC:-.}${FOO%x}${ABC:-.}", { FOO: "xxyy" }, ".xxyy."],
    ["${FOO%%\\**\\*}", { FOO: "a***yy*" }, "a"],
    ["${FOO%}", { FOO: "xxyy" }, "xxyy"],
    ["${FOO%%$BAR}", { FOO: "xxyy", BAR: "" }, "xxyy"],
    ["${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", { FOO: "/foo*/*/*.txt", NEEDLE: "\\*/" }, "/foo.*/*.txt - /foo..*.txt"],
    ["${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", { FOO: "/tmp/tmp/bar.txt", NEEDLE: "/tmp" }, "/tmp/bar.txt - /bar.txt"],
    [
      "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
      { FOO: "/a/foo/b/c.txt", NEEDLE: "/?/", REPLACEMENT: "/" },
      "/foo/b/c.txt - /foo/c.txt",
    ],
    [
      "${FOO/$NEEDLE/$REPLACEMENT}",
      { FOO: "http://google.de", NEEDLE: "http://", REPLACEMENT: "https://" },
      "https://google.de",
    ],
    ["${FOO//\\//\\/}", { FOO: "/tmp/foo.txt" }, "\\/tmp\\/foo.txt"],
    ["${FOO/$BAR/ww}", { FOO: "xxyy", BAR: "" }, "wwxxyy"],
    ["${FOO///}", { FOO: "xxyy" }, "xxyy"],
    ["${FOO///}", {}, ""],
    // TestProcessWithMatchesPlatform
    [
      "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
      { VERSION: "v1.2.3", TARGETOS: "linux", TARGETARCH: "arm", TARGETVARIANT: "v7" },
      "something-v1.2.3.linux-arm-v7.tar.gz",
    ],
    [
      "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
      { VERSION: "v1.2.3", TARGETOS: "linux", TARGETARCH: "amd64" },
      "something-v1.2.3.linux-amd64.tar.gz",
    ],
  ])("%s with %j → %s", (text, vars, expected) => {
    expect(expandWord(text, env(vars))).toBe(expected);
  });

  it("expands the word of :- and :+ (nested forms included)", () => {
    const vars = env({ HOME: "/root", X: "x", EMPTY: "" });
    expect(expandWord("${X:-default}", vars)).toBe("x");
    expect(expandWord("${UNSET:-default}", vars)).toBe("default");
    expect(expandWord("${EMPTY:-default}", vars)).toBe("default");
    expect(expandWord("${EMPTY-default}", vars)).toBe("");
    expect(expandWord("${UNSET:-$HOME/.cache}", vars)).toBe("/root/.cache");
    expect(expandWord("${UNSET:-${ALSO_UNSET:-deep}}", vars)).toBe("deep");
    expect(expandWord("${X:+[$X]}", vars)).toBe("[x]");
    expect(expandWord("${X:-a:b-c}", vars)).toBe("x");
  });

  it("replaces every match the way Go's ReplaceAllString does", () => {
    // An empty match right after a match is skipped; `$0` in a replacement is the match, `$$` a dollar.
    expect(expandWord("${FOO//*/-}", env({ FOO: "ab" }))).toBe("-");
    expect(expandWord("${FOO//$BAR/.}", env({ FOO: "ab", BAR: "" }))).toBe(".a.b.");
    expect(expandWord("${FOO//b/[\\$0]}", env({ FOO: "abc" }))).toBe("a[\\b]c");
    expect(expandWord("${FOO/b/[\\$0]}", env({ FOO: "abc" }))).toBe("a[\\$0]c");
    // Patterns run per code point.
    expect(expandWord("${FOO//?/.}", env({ FOO: "a😀b" }))).toBe("...");
    expect(expandWord("${FOO%?}", env({ FOO: "a😀" }))).toBe("a");
  });
});

describe("expandWord: errors", () => {
  it.each([
    ["${", "missing '}'"],
    ["${A", "missing '}'"],
    ["${A:-x", "missing '}'"],
    ["${A:", "missing '}'"],
    ["${}", "bad substitution"],
    ["${:}", "bad substitution"],
    ["${{A}}", "bad substitution"],
    ["${A:x}", "unsupported modifier (:x) in substitution"],
    ["${A=x}", "unsupported modifier (=) in substitution"],
    ["${A x}", "unsupported modifier ( ) in substitution"],
    ["${A:/x/y}", "unsupported modifier (:/) in substitution"],
    ["${A//ww}", "missing '/' in ${}"],
    ["${A/x/y", "missing '}'"],
    ["${A#\\x}", "invalid pattern (\\x) in substitution"],
  ])("%s fails: %s", (text, detail) => {
    const error = expansionError(text);
    expect(error).toBeInstanceOf(ChutesError);
    expect(error.code).toBe("invalid-substitution");
    expect(error.name).toBe("ExpansionError");
    expect(error.text).toBe(text);
    expect(error.message).toBe(`cannot expand ${JSON.stringify(text)}: ${detail}`);
  });

  it("fails ${NAME?message} when the variable is unset, ${NAME:?message} also when empty", () => {
    expect(expansionError("${VAR?message here$ARG}", env({ ARG: "x" })).message).toBe(
      'cannot expand "${VAR?message here$ARG}": VAR: message herex',
    );
    expect(expansionError("${VAR:?}", env({ VAR: "" })).message).toBe(
      'cannot expand "${VAR:?}": VAR: is not allowed to be empty',
    );
    expect(expansionError("${VAR?}").message).toBe('cannot expand "${VAR?}": VAR: is not allowed to be unset');
    expect(expansionError("${VAR?}").code).toBe("unset-variable");
    expect(expandWord("${VAR?}", env({ VAR: "" }))).toBe("");
    expect(expandWord("${VAR:?}", env({ VAR: "set" }))).toBe("set");
  });
});

describe("escapeLiteral", () => {
  it("escapes backslashes and dollars only", () => {
    expect(escapeLiteral("a$b\\c${d}")).toBe("a\\$b\\\\c\\${d}");
    expect(escapeLiteral("plain 'quoted' \"text\" {}")).toBe("plain 'quoted' \"text\" {}");
  });

  const everything = (name: string) => `<${name}>`;
  const tricky = fc.string({ unit: fc.constantFrom("$", "\\", "{", "}", ":", "-", "?", "#", "%", "/", "A", "1", " ") });
  const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) });

  it("round-trips every string through expandWord (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), tricky, codeUnits), (text) => {
        expect(expandWord(escapeLiteral(text), everything)).toBe(text);
        expect(referencedVariables(escapeLiteral(text))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves text without $ or \\ unchanged under expansion (property)", () => {
    const plain = fc.oneof(fc.string({ unit: "binary" }), codeUnits).map((s) => s.replace(/[$\\]/g, ""));
    fc.assert(
      fc.property(plain, (text) => {
        expect(expandWord(text, everything)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe("referencedVariables", () => {
  it("lists names in order of appearance, once each", () => {
    expect(referencedVariables("$A ${B:-$C} ${A} $D${B}")).toEqual(["A", "B", "C", "D"]);
    expect(referencedVariables("${X/$Y/$Z} ${W#$V}")).toEqual(["X", "Y", "Z", "W", "V"]);
    expect(referencedVariables("$1 $$")).toEqual(["1", "$"]);
  });

  it("ignores escaped dollars and literal text", () => {
    expect(referencedVariables("\\$A cost $ 5")).toEqual([]);
    expect(referencedVariables("")).toEqual([]);
  });

  it("does not fail on ${NAME?message}, only on malformed text", () => {
    expect(referencedVariables("${REQUIRED?set it}")).toEqual(["REQUIRED"]);
    expect(() => referencedVariables("${A")).toThrow(ExpansionError);
  });
});
