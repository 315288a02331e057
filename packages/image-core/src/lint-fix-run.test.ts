import { describe, expect, it } from "vitest";
import { editRun, readRun } from "./lint-fix-run.ts";
import { lexShell, splitCommands } from "./shell.ts";

describe("lexShell", () => {
  it("gives each word its place, quotes included, and how each command joins the one before", () => {
    const text = `a "b c" && X=1 d\\ e || (f 'g') | h; i &`;
    const lexed = lexShell(text, false);
    expect(lexed.commands.map((command) => [command.after, command.words.map((word) => [word.text, text.slice(word.start, word.end)])])).toEqual([
      ["", [["a", "a"], ["b c", `"b c"`]]],
      ["&&", [["X=1", "X=1"], ["d e", "d\\ e"]]],
      ["(", [["f", "f"], ["g", "'g'"]]],
      ["|", [["h", "h"]]],
      [";", [["i", "i"]]],
    ]);
    expect(splitCommands(text, false)).toEqual([["a", "b c"], ["X=1", "d e"], ["f", "g"], ["h"], ["i"]]);
  });

  it("joins commands across line ends in scripts, keeping the operator before the line end", () => {
    const lexed = lexShell("a &&\n  b\nc ||\n\nd\n", true);
    expect(lexed.commands.map((command) => command.after)).toEqual(["", "&&", "\n", "||"]);
  });

  it("says where more can be appended: after the last word or ), before ; and comments", () => {
    const at = (text: string, newlines = false): string | undefined => {
      const { appendAt } = lexShell(text, newlines);
      return appendAt === undefined ? undefined : `${text.slice(0, appendAt)}|${text.slice(appendAt)}`;
    };
    expect(at("a && b ")).toBe("a && b| ");
    expect(at("a; ")).toBe("a|; ");
    expect(at("(a)")).toBe("(a)|");
    expect(at("if a; then b; fi")).toBe("if a; then b; fi|");
    expect(at("a # note")).toBe("a| # note");
    expect(at("a\n# note\n", true)).toBe("a|\n# note\n");
    for (const open of ["a &&", "a |", "a &", "a > log", "a 'b", 'a "b', "a $(b", "a \\"]) expect(at(open)).toBeUndefined();
  });

  it("notices a here-document", () => {
    expect(lexShell("cat <<EOF\nx\nEOF", true).heredoc).toBe(true);
    expect(lexShell("cat < in > out 2>&1", true).heredoc).toBe(false);
  });
});

describe("readRun and editRun", () => {
  it("reads argv as one command whose words are its elements, and a non-shell script as none", () => {
    const reading = readRun({ form: "exec", argv: ["sudo", "apt", "install", "x"] });
    expect(reading.shell).toBe(false);
    expect(reading.commands.map((part) => [part.command.name, part.program])).toEqual([["apt", 1]]);
    expect(readRun({ form: "script", script: "print(1)", interpreter: ["python3"] }).commands).toEqual([]);
  });

  it("puts inserted commands on lines of their own at line boundaries, and options inline", () => {
    const command = { form: "shell", lines: ["cd /x &&", "apt-get install -y a"] } as const;
    const reading = readRun(command);
    expect(reading.commands.map((part) => part.command.name)).toEqual(["cd", "apt-get"]);
    expect(
      editRun(command, [
        { kind: "insert-before", command: 1, word: 0, text: "apt-get update", operator: "&&" },
        { kind: "insert-after", command: 0, word: 0, text: "-P" },
        { kind: "append", text: "rm -rf /var/lib/apt/lists/*", operator: "&&" },
      ]),
    ).toEqual({ form: "shell", lines: ["cd -P /x &&", "apt-get update &&", "apt-get install -y a &&", "rm -rf /var/lib/apt/lists/*"] });
  });

  it("refuses edits it cannot make in place", () => {
    const argv = { form: "exec", argv: ["apt-get", "install", "x"] } as const;
    expect(editRun(argv, [{ kind: "append", text: "true", operator: "&&" }])).toBeUndefined();
    expect(editRun(argv, [{ kind: "insert-before", command: 0, word: 0, text: "true", operator: "&&" }])).toBeUndefined();
    const quoted = { form: "shell", lines: [`"apt" install x`] } as const;
    expect(editRun(quoted, [{ kind: "replace", command: 0, word: 0, text: "apt-get" }])).toBeUndefined();
    expect(editRun(quoted, [{ kind: "insert-after", command: 0, word: 1, text: "--option=a b" }])).toBeUndefined();
    expect(editRun(quoted, [{ kind: "insert-after", command: 0, word: 9, text: "-y" }])).toBeUndefined();
    expect(editRun(quoted, [])).toBeUndefined();
  });
});
