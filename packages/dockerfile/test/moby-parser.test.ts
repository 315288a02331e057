// Checks the test-only ports against facts read from BuildKit's Go code (shell/lex.go, parser/*.go), so that
// the renderer's tests read Dockerfiles back the way BuildKit does.
import { describe, expect, test } from "vitest";
import { LexError, describePatterns, processWord, processWords } from "./moby-lexer.ts";
import { ParseError, parseDockerfile } from "./moby-parser.ts";

describe("lexer port (lex.go)", () => {
  test.each([
    // inside double quotes only \" \$ \\ are escapes; any other backslash stays (processDoubleQuote)
    ['"a\\b"', "a\\b"],
    ['"a\\"b"', 'a"b'],
    ['"\\$x"', "$x"],
    ['"\\\\"', "\\"],
    ['"it\'s"', "it's"],
    // single quotes take everything as it is
    ["'a\\b\"$X'", 'a\\b"$X'],
    // unquoted, a backslash escapes any character (processStopOn)
    ["a\\ b", "a b"],
    ["\\'", "'"],
    ["\\a", "a"],
    // a $ that starts no name is literal; digits and special parameters are names (processName)
    ["$", "$"],
    ["a$ b", "a$ b"],
    ["$1x", "x"],
    ["$$", ""],
    ["$é", ""],
    // words of ${X:-w} are processStopOn('}'): quotes and escapes work there
    ['${X:-"q q"}', "q q"],
    ["${X:-it\\'s}", "it's"],
    ["${X:-a\\}b}", "a}b"],
    ['"${X:-it\\"s}"', 'it"s'],
  ])("processWord(%j) = %j", (source, expected) => {
    expect(processWord(source)).toBe(expected);
  });

  test("expands against the environment (lex_test.go TestProcessWithMatches)", () => {
    const env = { FOO: "xxx", BAR: "" };
    expect(processWord("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", env)).toBe("xxx bbb ccc");
    expect(processWord("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", env)).toBe("xxx  ccc");
    expect(processWord("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", env)).toBe("aaa bbb ");
    expect(processWord("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", env)).toBe("aaa  ");
    expect(processWord('"$FOO/${FOO}"', env)).toBe("xxx/xxx");
  });

  test("raw pattern words keep backslash pairs and process quotes", () => {
    expect(describePatterns("${A#\\*x}")).toBe('{A#pattern="\\\\*x"}');
    expect(describePatterns("${A#\"'\"}")).toBe("{A#pattern=\"'\"}");
    expect(describePatterns("${A//a/b}")).toBe('{A//pattern="a",replacement="b"}');
  });

  test.each(['"abc', "'abc", "${", "${}", "${:a}", "${A", "${A:-b", "${A=b}"])("%j is an error", (source) => {
    expect(() => processWord(source)).toThrow(LexError);
  });

  test("ProcessWords splits at unquoted whitespace; RawQuotes keeps the quotes", () => {
    expect(processWords('a "b c"  d\u00a0e')).toEqual(["a", "b c", "d", "e"]);
    expect(processWords('a "b c"', {}, { rawQuotes: true })).toEqual(["a", '"b c"']);
    expect(processWords("a\\ b", {}, { rawEscapes: true })).toEqual(["a\\ b"]);
  });
});

describe("parser port (parser.go, line_parsers.go, split_command.go)", () => {
  test("a continuation keeps the character before the backslash and the next line's indentation", () => {
    const [run] = parseDockerfile("RUN a \\\n    b\n").instructions;
    expect(run?.args).toEqual(["a     b"]);
  });

  test("comment and empty lines inside a continuation are skipped", () => {
    const result = parseDockerfile("RUN a \\\n  # c\n\n    b\nRUN c\n");
    expect(result.instructions.map((i) => i.args)).toEqual([["a     b"], ["c"]]);
    expect(result.warnings).toHaveLength(1);
  });

  test("a line ending in an escaped backslash continues for legacy BuildKit only", () => {
    const text = "RUN a\\\\\nRUN b\n";
    expect(parseDockerfile(text).instructions).toHaveLength(2);
    expect(parseDockerfile(text, { continuation: "legacy" }).instructions).toHaveLength(1);
  });

  test("heredocs in RUN/COPY/ADD read the lines up to the delimiter, line endings kept", () => {
    const [run, from] = parseDockerfile("RUN <<'EOF'\nx\r\n$y\nEOF\nFROM z\n").instructions;
    expect(run?.heredocs).toEqual([{ name: "EOF", content: "x\r\n$y\n", expand: false, chomp: false }]);
    expect(from?.command).toBe("from");
    expect(parseDockerfile('RUN ["cat", "<<EOF"]\nFROM z\n').instructions).toHaveLength(2);
    expect(() => parseDockerfile("RUN cat <<EOF\nx\n")).toThrow(ParseError);
  });

  test("ENV and LABEL split words at unquoted whitespace and each word at its first =", () => {
    const [env] = parseDockerfile('ENV A="x y" B=z "c=d"=e\n').instructions;
    expect(env?.args).toEqual(["A", '"x y"', "B", "z", '"c', 'd"=e']);
  });

  test("flags come first; their values lose quotes and escapes, byte by byte", () => {
    const [run, copy] = parseDockerfile('RUN --mount=type=cache,target=/x --network="none" echo --x\nCOPY --chown=é a b\n')
      .instructions;
    expect(run?.flags).toEqual(["--mount=type=cache,target=/x", "--network=none"]);
    expect(run?.args).toEqual(["echo --x"]);
    expect(copy?.flags).toEqual(["--chown=\u00c3\u00a9"]);
  });

  test("JSON arrays are exec form; anything else is kept as text", () => {
    const [cmd, run] = parseDockerfile('CMD ["a", "b c"]\nRUN [ -f x ]\n').instructions;
    expect(cmd).toMatchObject({ args: ["a", "b c"], json: true });
    expect(run).toMatchObject({ args: ["[ -f x ]"], json: false });
  });

  test("a # syntax directive is read from the first lines", () => {
    const result = parseDockerfile("# syntax=docker/dockerfile:1.7\nFROM x\n");
    expect(result.directives).toEqual({ syntax: "docker/dockerfile:1.7" });
  });
});
