import { describe, expect, it } from "vitest";
import { extractExamples } from "./extract.ts";

const fence = "```";

describe("extractExamples", () => {
  it("takes the first ts block, with the README line of its first code line", () => {
    const markdown = ["# pkg", "", `${fence}sh`, "pnpm add pkg", fence, "", `${fence}ts`, 'import { a } from "pkg";', "a();", fence, "", `${fence}ts`, "fragment();", fence, ""].join("\n");
    expect(extractExamples(markdown, "README.md")).toEqual([
      { file: "README.md", line: 8, index: 1, reason: "first", code: 'import { a } from "pkg";\na();\n' },
    ]);
  });

  it("also takes a ts block right after an example marker, blank lines allowed", () => {
    const markdown = [`${fence}ts`, "one();", fence, "<!-- example: test/readme/two.ts -->", "", `${fence}typescript`, "two();", fence, "<!-- example -->", "text in between", `${fence}ts`, "three();", fence].join("\n");
    expect(extractExamples(markdown, "R").map((example) => [example.reason, example.code])).toEqual([
      ["first", "one();\n"],
      ["<!-- example: test/readme/two.ts -->", "two();\n"],
    ]);
  });

  it("counts a marked first block once, and skips a marker that precedes a non-ts block", () => {
    const markdown = ["<!-- example -->", `${fence}sh`, "ls", fence, "<!-- example -->", `${fence}ts`, "one();", fence, `${fence}ts`, "two();", fence].join("\n");
    expect(extractExamples(markdown, "R").map((example) => [example.index, example.reason, example.code])).toEqual([[1, "<!-- example -->", "one();\n"]]);
  });

  it("is not fooled by fences inside a longer fence, tildes, or CRLF line endings", () => {
    const markdown = ["````md", `${fence}ts`, "inside();", fence, "````", "~~~ts", "tilde();", "~~~", `${fence}ts`, "later();", fence].join("\r\n");
    expect(extractExamples(markdown, "R").map((example) => example.code)).toEqual(["tilde();\n"]);
  });

  it("finds nothing in a README without ts blocks", () => {
    expect(extractExamples("# nothing\n\n```sh\nls\n```\n", "R")).toEqual([]);
  });
});
