import type { ImageSpec } from "@chutes/image-core";
import { describe, expect, test } from "vitest";
import { readBack } from "../test/read-back.ts";
import { renderDockerfile } from "./index.ts";
import { layoutShellCommand } from "./shell-form.ts";

function runLines(lines: string[]): string {
  const spec: ImageSpec = {
    irVersion: 1,
    ref: { username: "u", name: "n", tag: "t" },
    stages: [
      {
        id: "main",
        base: { image: "debian:12" },
        steps: [
          { kind: "run", command: { form: "shell", lines } },
          { kind: "user", user: "app" },
        ],
      },
    ],
  };
  return renderDockerfile(spec);
}

/** The rendered RUN (without FROM and the USER after it), and what BuildKit reads from the file. */
function run(lines: string[]): { text: string; seen: ReturnType<typeof readBack> } {
  const file = runLines(lines);
  const text = file.slice(file.indexOf("\n") + 1, file.lastIndexOf("\nUSER app\n"));
  return { text, seen: readBack(file) };
}

describe("continuations", () => {
  test("each folded line on its own physical line, indented by four spaces", () => {
    const { text, seen } = run(["apt-get update &&", "apt-get install -y curl &&", "rm -rf /var/lib/apt/lists/*"]);
    expect(text).toBe("RUN apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /var/lib/apt/lists/*");
    expect(seen.map((i) => i.command)).toEqual(["from", "run", "user"]);
    expect(seen[1]?.values).toEqual(["apt-get update &&     apt-get install -y curl &&     rm -rf /var/lib/apt/lists/*"]);
  });

  test("a piece starting with # stays on the previous line (Docker drops such a line as a comment)", () => {
    const { text, seen } = run(["echo a", "#b", "  # c"]);
    expect(text).toBe("RUN echo a #b   # c");
    expect(seen[1]?.values).toEqual(["echo a #b   # c"]);
  });

  test("blank pieces stay on the previous line (Docker skips empty continuation lines)", () => {
    const { text, seen } = run(["echo a", "", "\t", "echo b"]);
    expect(text).toBe("RUN echo a  \t \\\n    echo b");
    expect(seen[1]?.values).toEqual(["echo a  \t     echo b"]);
  });

  test("no break inside quotes: the shell would see the extra blanks", () => {
    const { text } = run(["echo 'a", "b' \"c", "d\"", "e"]);
    expect(text).toBe("RUN echo 'a b' \"c d\" \\\n    e");
  });

  test("no break after a piece ending in a backslash: the blank after it is escaped", () => {
    const { text, seen } = run(["echo a\\", "b", "c"]);
    expect(text).toBe("RUN echo a\\ b \\\n    c");
    expect(seen[1]?.values).toEqual(["echo a\\ b     c"]);
  });

  test("inside a comment every break is harmless", () => {
    const { text } = run(["true # it's", "fine"]);
    expect(text).toBe("RUN true # it's \\\n    fine");
  });

  test("after $' (bash and dash disagree on it) no more breaks", () => {
    const { text } = run(["echo $'a", "b'", "c"]);
    expect(text).toBe("RUN echo $'a b' c");
  });
});

describe("exec form where shell form would be misread", () => {
  test.each<[string, string[], string]>([
    ["a command ending in a backslash would swallow the next instruction", ["echo a \\"], 'RUN ["/bin/sh", "-c", "echo a \\\\"]'],
    ["a backslash then blanks is a continuation too", ["echo a\\  "], 'RUN ["/bin/sh", "-c", "echo a\\\\  "]'],
    ["leading -- would be read as a flag", ["--version"], 'RUN ["/bin/sh", "-c", "--version"]'],
    ["a JSON array would be read as exec form", ['["echo", "hi"]'], 'RUN ["/bin/sh", "-c", "[\\"echo\\", \\"hi\\"]"]'],
    ["a <<WORD would start a heredoc", ["cat <<EOF > /etc/x"], 'RUN ["/bin/sh", "-c", "cat <<EOF > /etc/x"]'],
    ["edge whitespace other than blanks would be trimmed", ["echo a\u00a0"], 'RUN ["/bin/sh", "-c", "echo a\u00a0"]'],
  ])("%s", (_, lines, expected) => {
    const { text, seen } = run(lines);
    expect(text).toBe(expected);
    expect(seen.map((i) => i.command)).toEqual(["from", "run", "user"]);
    expect(seen[1]?.values).toEqual(["/bin/sh", "-c", lines.join(" ")]);
  });

  test("a [ test that is not JSON stays shell form", () => {
    expect(run(["[ -f /x ] && echo y"]).text).toBe("RUN [ -f /x ] && echo y");
  });

  test("a here-string is no heredoc", () => {
    expect(run(["cat <<< hi"]).text).toBe("RUN cat <<< hi");
  });

  test("the exec form uses the stage's current shell", () => {
    const spec: ImageSpec = {
      irVersion: 1,
      ref: { username: "u", name: "n", tag: "t" },
      stages: [
        {
          id: "main",
          base: "scratch",
          steps: [
            { kind: "shell", argv: ["/bin/bash", "-c"] },
            { kind: "run", command: { form: "shell", lines: ["echo \\"] } },
          ],
        },
      ],
    };
    expect(renderDockerfile(spec)).toBe('FROM scratch\nSHELL ["/bin/bash", "-c"]\nRUN ["/bin/bash", "-c", "echo \\\\"]\n');
  });
});

describe("layoutShellCommand", () => {
  test("reasons for exec form", () => {
    expect(layoutShellCommand(["a \\"])).toEqual({
      form: "exec",
      reason: "it ends with a backslash, which the Dockerfile parser reads as a line continuation",
    });
    expect(layoutShellCommand(["a", "b"])).toEqual({ form: "shell", lines: ["a", "b"] });
  });

  test("$( ... ) and ${ ... } nest; quotes inside them still block breaks", () => {
    expect(layoutShellCommand(['x=$(echo "a', 'b")', "y"])).toEqual({ form: "shell", lines: ['x=$(echo "a b")', "y"] });
    expect(layoutShellCommand(["echo ${A:-a", "b}", "c"])).toEqual({ form: "shell", lines: ["echo ${A:-a", "b}", "c"] });
    expect(layoutShellCommand(['echo "`date', '`"', "c"])).toEqual({ form: "shell", lines: ['echo "`date `"', "c"] });
  });
});
