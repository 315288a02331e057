import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldCommand, foldCommandDetailed } from "./fold.ts";

describe("foldCommand", () => {
  it("folds the seed's package list into one command", () => {
    expect(
      foldCommand(`
        pip install
        torch
        transformers
    `),
    ).toEqual(["pip install", "torch", "transformers"]);
  });

  it("drops comments that start a word, keeps # inside words and quotes", () => {
    expect(
      foldCommand(`
        pip install large-package &&
        rm -rf ~/.cache/pip  # Clean up in same layer
        echo a#b '# not a comment' "# nor this" \\# nor this
    `),
    ).toEqual(["pip install large-package &&", "rm -rf ~/.cache/pip", "echo a#b '# not a comment' \"# nor this\" \\# nor this"]);
  });

  it("drops comment-only and blank lines, honours trailing backslashes", () => {
    expect(foldCommand("apt-get update && \\\n  # install\n\n  apt-get install -y git \\\n")).toEqual([
      "apt-get update &&",
      "apt-get install -y git",
    ]);
  });

  it("keeps an escaped backslash at the end of a line", () => {
    expect(foldCommand("echo a\\\\\necho b")).toEqual(["echo a\\\\", "echo b"]);
  });

  it("handles CRLF line ends", () => {
    expect(foldCommand("echo a &&\r\n  echo b\r\n")).toEqual(["echo a &&", "echo b"]);
  });

  it("reports quoted strings that span lines", () => {
    expect(foldCommandDetailed('python -c "import sys\nprint(sys.version)"').quoteSpansLines).toBe(true);
    expect(foldCommandDetailed("echo 'a' &&\necho \"b\"").quoteSpansLines).toBe(false);
  });

  it("never yields a piece with a line break or blank edges (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "#", "\\", "'", '"', "&", "\t", "x") }), (text) => {
        for (const piece of foldCommand(text)) {
          expect(piece).not.toMatch(/[\r\n]/);
          expect(piece).toBe(piece.trim());
          expect(piece).not.toBe("");
        }
      }),
    );
  });

  it("is the identity on a single clean line (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9 =./&|-]*[a-z0-9]$/), (line) => {
        expect(foldCommand(line)).toEqual([line]);
      }),
    );
  });
});
