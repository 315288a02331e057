// Property tests: render, read the Dockerfile back the way BuildKit does (test/moby-parser.ts and
// test/moby-lexer.ts, ports of BuildKit's parser and lexer), and check what a build would see.

import type { ImageSpec, Stage, Step } from "@chutes/image-core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { readBack } from "../test/read-back.ts";
import { RenderError, renderDockerfile } from "./index.ts";

const RUNS = { numRuns: 400 };

/** Characters the quoting must get right, blanks Go and JavaScript disagree on, and any code point. */
const SPECIAL = Array.from("$\\\"'{}:-+?#%/=;[]<>()`*!&|~@,.AZ_19é");
const BLANKS = [" ", "\t", "\v", "\f", "\u00a0", "\u0085", "\u1680", "\u2028", "\u2029", "\u3000", "\ufeff"];
const anyCodePoint = fc
  .string({ unit: "binary", minLength: 1, maxLength: 1 })
  .filter((ch) => ch !== "\n" && ch !== "\r");
/** Sequences the parser treats specially at the start of a word or line. */
const SEQUENCES = ["--", "<<", "2<<", "\\\\", "${", "$(", "EOF", "#", "["];
const lineChar = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.constantFrom(...BLANKS),
  fc.constantFrom(...SEQUENCES),
  anyCodePoint,
);
/** Any one-line string (no LF or CR). */
const lineText = fc.string({ unit: lineChar, maxLength: 24 });
/** Any string at all, line breaks included. */
const anyText = fc.string({ unit: fc.oneof(lineChar, fc.constantFrom("\n", "\r", "\r\n")), maxLength: 24 });

/** The IR spelling of a literal string: `\` and `$` escaped. */
function literal(text: string): string {
  return text.replace(/[\\$]/g, (ch) => `\\${ch}`);
}

function single(...steps: Step[]): ImageSpec {
  return { irVersion: 1, ref: { username: "u", name: "n", tag: "t" }, stages: [{ id: "main", base: { image: "debian:12" }, steps }] };
}

/** The values BuildKit sees for the instruction after FROM. */
function seen(image: ImageSpec, env: Readonly<Record<string, string>> = {}, syntax?: string): readonly string[] {
  const text = renderDockerfile(image, syntax === undefined ? {} : { syntax });
  const instructions = readBack(text, env);
  expect(instructions).toHaveLength(2);
  return instructions[1]?.values ?? [];
}

describe("literal values round-trip through BuildKit's parser and lexer", () => {
  test("ENV values", () => {
    fc.assert(
      fc.property(lineText, (value) => {
        expect(seen(single({ kind: "env", key: "K", value: literal(value) }))).toEqual(["K", value]);
      }),
      RUNS,
    );
  });

  test("LABEL keys and values", () => {
    const key = lineText.filter((text) => text !== "" && !text.includes("="));
    fc.assert(
      fc.property(key, lineText, (k, value) => {
        expect(seen(single({ kind: "label", key: k, value: literal(value) }))).toEqual([k, value]);
      }),
      RUNS,
    );
  });

  test("ARG names and defaults", () => {
    const name = lineText.filter((text) => text !== "" && !text.includes("="));
    fc.assert(
      fc.property(name, fc.option(lineText, { nil: undefined }), (n, value) => {
        const step: Step = value === undefined ? { kind: "arg", name: n } : { kind: "arg", name: n, default: literal(value) };
        expect(seen(single(step))).toEqual(value === undefined ? [n] : [n, "=", value]);
      }),
      RUNS,
    );
  });

  test("WORKDIR paths and USER values", () => {
    fc.assert(
      fc.property(lineText, (value) => {
        expect(seen(single({ kind: "workdir", path: literal(value) }))).toEqual([value]);
        expect(seen(single({ kind: "user", user: literal(value) }))).toEqual([value]);
      }),
      RUNS,
    );
  });

  test("COPY and ADD paths, in either form", () => {
    fc.assert(
      fc.property(fc.array(lineText, { minLength: 1, maxLength: 3 }), lineText, (sources, dest) => {
        const copy: Step = { kind: "copy", sources: sources.map(literal), dest: literal(dest) };
        expect(seen(single(copy))).toEqual([...sources, dest]);
        const add: Step = { kind: "add", sources: sources.map(literal), dest: literal(dest), chown: "1:1" };
        expect(seen(single(add))).toEqual([...sources, dest]);
      }),
      RUNS,
    );
  });

  test("exec-form argv (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK), line breaks included", () => {
    const argv = fc.array(anyText, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(argv, (items) => {
        expect(seen(single({ kind: "run", command: { form: "exec", argv: items } }))).toEqual(items);
        expect(seen(single({ kind: "cmd", argv: items }))).toEqual(items);
        expect(seen(single({ kind: "entrypoint", argv: items }))).toEqual(items);
        expect(seen(single({ kind: "shell", argv: items }))).toEqual(items);
        expect(seen(single({ kind: "healthcheck", test: items, retries: 2 }))).toEqual(["CMD", ...items]);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Expansions: values built from literal text and $NAME / ${NAME} / ${NAME:-w} / ${NAME:+w} / ${NAME-w} /
// ${NAME+w}, with the value they must expand to computed from their structure, not by parsing them.

type Part =
  | { readonly lit: string }
  | { readonly name: string; readonly braces: boolean }
  | { readonly name: string; readonly op: ":-" | ":+" | "-" | "+"; readonly word: readonly Part[] };

const NAMES = ["A", "HOME", "_x", "é", "B2"];
const name = fc.constantFrom(...NAMES);
const { parts } = fc.letrec<{ parts: readonly Part[]; part: Part }>((tie) => ({
  parts: fc.array(tie("part"), { maxLength: 4 }),
  part: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    lineText.map((lit): Part => ({ lit })),
    fc.record({ name, braces: fc.boolean() }),
    fc.record({ name, op: fc.constantFrom(":-" as const, ":+" as const, "-" as const, "+" as const), word: tie("parts") }),
  ),
}));

function serialize(list: readonly Part[], inWord: boolean): string {
  // Right to left, so that a bare $NAME can see whether the text after it would continue the name.
  let out = "";
  for (const part of [...list].reverse()) {
    if ("lit" in part) {
      const escaped = literal(part.lit);
      out = (inWord ? escaped.replace(/\}/g, "\\}") : escaped) + out;
    } else if ("op" in part) {
      out = `\${${part.name}${part.op}${serialize(part.word, true)}}` + out;
    } else {
      const glued = /^[\p{L}\p{Nd}_]/u.test(out);
      out = (part.braces || glued ? `\${${part.name}}` : `$${part.name}`) + out;
    }
  }
  return out;
}

function evaluate(list: readonly Part[], env: Readonly<Record<string, string>>): string {
  return list
    .map((part) => {
      if ("lit" in part) return part.lit;
      const value = env[part.name];
      if (!("op" in part)) return value ?? "";
      const word = evaluate(part.word, env);
      switch (part.op) {
        case ":-":
          return value === undefined || value === "" ? word : value;
        case "-":
          return value ?? word;
        case ":+":
          return value === undefined || value === "" ? "" : word;
        case "+":
          return value === undefined ? "" : word;
      }
    })
    .join("");
}

const environment = fc.dictionary(name, fc.oneof(fc.constant(""), lineText));

describe("expansions are left to Docker and mean what the IR means", () => {
  test("in ENV (double-quoted), WORKDIR (bare or quoted) and COPY (lexer words)", () => {
    fc.assert(
      fc.property(parts, environment, (value, env) => {
        const text = serialize(value, false);
        const expected = evaluate(value, env);
        expect(seen(single({ kind: "env", key: "K", value: text }), env)).toEqual(["K", expected]);
        expect(seen(single({ kind: "workdir", path: text }), env)).toEqual([expected]);
        expect(seen(single({ kind: "copy", sources: [text], dest: "/d" }), env)).toEqual([expected, "/d"]);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Shell form: what the shell receives splits into the same words as the folded command.

/**
 * POSIX word splitting with quotes, escapes, comments and the operators `;`, `|`, `<` (each a word of its own,
 * and a `#` after one starts a comment); `undefined` when a quote is not closed.
 */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let current: string | undefined;
  let i = 0;
  const end = (): void => {
    if (current !== undefined) words.push(current);
    current = undefined;
  };
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === " " || ch === "\t") {
      end();
      i++;
    } else if (ch === ";" || ch === "|" || ch === "<") {
      end();
      words.push(ch);
      i++;
    } else if (ch === "#" && current === undefined) {
      break;
    } else if (ch === "\\") {
      current = (current ?? "") + (text[i + 1] ?? "\\");
      i += 2;
    } else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      current = (current ?? "") + text.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let out = "";
      for (;;) {
        const c = text[j];
        if (c === undefined) return undefined;
        if (c === '"') break;
        if (c === "\\" && j + 1 < text.length && '"\\$`'.includes(text[j + 1] ?? "")) {
          out += text[j + 1] ?? "";
          j += 2;
        } else {
          out += c;
          j++;
        }
      }
      current = (current ?? "") + out;
      i = j + 1;
    } else {
      current = (current ?? "") + ch;
      i++;
    }
  }
  end();
  return words;
}

describe("shell form", () => {
  const shellChar = fc.constantFrom("a", "b", " ", "\t", "'", '"', "\\", "#", ";", "$", "|", "-", "[", "]", "<", "\u00a0");
  const piece = fc.string({ unit: shellChar, maxLength: 8 });
  const pieces = fc.array(piece, { minLength: 1, maxLength: 5 }).filter((list) => /[^ \t\u00a0\v\f]/.test(list.join("")));

  test("the shell sees the folded command's words, or the exact text in exec form", () => {
    fc.assert(
      fc.property(pieces, (lines) => {
        const text = lines.join(" ");
        const [, run] = readBack(renderDockerfile(single({ kind: "run", command: { form: "shell", lines } })));
        expect(run?.heredocs).toEqual([]);
        if (run?.json === true) {
          expect(run.values).toEqual(["/bin/sh", "-c", text]);
        } else {
          expect(shellWords(run?.values[0] ?? "")).toEqual(shellWords(text));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("scripts: a heredoc holds the script (plus a final newline), otherwise exec form holds it exactly", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (script, syntax) => {
        const image = single({ kind: "run", command: { form: "script", script } });
        const [, run] = readBack(renderDockerfile(image, syntax ? { syntax: "docker/dockerfile:1.7" } : {}));
        if (run?.heredocs.length === 1) {
          expect(syntax).toBe(true);
          const content = script === "" || script.endsWith("\n") ? script : `${script}\n`;
          expect(run.heredocs[0]).toMatchObject({ content, expand: false });
        } else {
          expect(run?.values).toEqual(["/bin/sh", "-c", script]);
        }
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// No value can start, swallow or split an instruction.

const KEYWORDS: Record<Step["kind"], string> = {
  run: "run",
  add: "add",
  copy: "copy",
  copyFrom: "copy",
  env: "env",
  workdir: "workdir",
  user: "user",
  entrypoint: "entrypoint",
  cmd: "cmd",
  label: "label",
  expose: "expose",
  healthcheck: "healthcheck",
  arg: "arg",
  shell: "shell",
};

/** Mostly one-line strings, so that most specs render; now and then a line break. */
const text = fc.oneof({ weight: 8, arbitrary: lineText }, { weight: 1, arbitrary: anyText });
const texts = fc.array(text, { maxLength: 3 });
/** Flag values: mostly plain, so that the steps around them get rendered too. */
const flagText = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9:/._-]{1,8}$/) }, { weight: 1, arbitrary: text });
const mount = fc.oneof(
  fc.record({ type: fc.constant("cache" as const), target: flagText, id: flagText }, { requiredKeys: ["type", "target"] }),
  fc.record({ type: fc.constant("secret" as const), id: flagText, target: flagText, env: flagText }, { requiredKeys: ["type", "id"] }),
  fc.record({ type: fc.constant("tmpfs" as const), target: flagText }),
);
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("run" as const), command: fc.record({ form: fc.constant("shell" as const), lines: texts }), mounts: fc.array(mount, { maxLength: 2 }) }),
  fc.record({ kind: fc.constant("run" as const), command: fc.record({ form: fc.constant("exec" as const), argv: texts }) }),
  fc.record({
    kind: fc.constant("run" as const),
    command: fc.record({ form: fc.constant("script" as const), script: text, interpreter: texts }, { requiredKeys: ["form", "script"] }),
  }),
  fc.record({ kind: fc.constant("add" as const), sources: texts, dest: text, chown: flagText, checksum: flagText }, { requiredKeys: ["kind", "sources", "dest"] }),
  fc.record({ kind: fc.constant("copy" as const), sources: texts, dest: text, exclude: fc.array(flagText, { maxLength: 2 }) }, { requiredKeys: ["kind", "sources", "dest"] }),
  fc.record({ kind: fc.constant("copyFrom" as const), stage: fc.constant("base"), sources: texts, dest: text }),
  fc.record({ kind: fc.constant("env" as const), key: text, value: text }),
  fc.record({ kind: fc.constant("label" as const), key: text, value: text }),
  fc.record({ kind: fc.constant("arg" as const), name: text, default: text }, { requiredKeys: ["kind", "name"] }),
  fc.record({ kind: fc.constant("workdir" as const), path: text }),
  fc.record({ kind: fc.constant("user" as const), user: text }),
  fc.record({ kind: fc.constant("entrypoint" as const), argv: texts }),
  fc.record({ kind: fc.constant("cmd" as const), argv: texts }),
  fc.record({ kind: fc.constant("shell" as const), argv: texts }),
  fc.record({ kind: fc.constant("expose" as const), port: fc.integer({ min: -1, max: 70000 }), protocol: fc.constantFrom("tcp" as const, "udp" as const) }),
  fc.record(
    { kind: fc.constant("healthcheck" as const), test: fc.option(texts, { nil: null }), interval: flagText, retries: fc.integer({ min: -1, max: 5 }) },
    { requiredKeys: ["kind", "test"] },
  ),
);

function twoStages(steps: readonly Step[]): ImageSpec {
  const stages: Stage[] = [
    { id: "base", base: { image: "debian:12" }, steps: steps.filter((step) => step.kind !== "copyFrom") },
    { id: "final", base: { stage: "base" }, steps },
  ];
  return { irVersion: 1, ref: { username: "u", name: "n", tag: "t" }, stages };
}

describe("instruction boundaries", () => {
  test("every step is exactly one instruction, or rendering throws a RenderError", () => {
    let rendered = 0;
    fc.assert(
      fc.property(fc.array(anyStep, { maxLength: 6 }), fc.boolean(), (steps, syntax) => {
        const image = twoStages(steps);
        let text: string;
        try {
          text = renderDockerfile(image, syntax ? { syntax: "docker/dockerfile:1.7" } : {});
        } catch (error) {
          expect(error).toBeInstanceOf(RenderError);
          return;
        }
        rendered++;
        const expected = image.stages.flatMap((stage) => ["from", ...stage.steps.map((step) => KEYWORDS[step.kind])]);
        for (const continuation of ["current", "legacy"] as const) {
          const commands = readBack(text, {}, { continuation }).map((instruction) => instruction.command);
          expect(commands).toEqual(expected);
        }
      }),
      { numRuns: 1000 },
    );
    // Most specs must render, or the property says little.
    expect(rendered).toBeGreaterThan(300);
  });

  test("rendering is deterministic and survives a JSON round trip of the spec", () => {
    fc.assert(
      fc.property(fc.array(anyStep, { maxLength: 6 }), (steps) => {
        const image = twoStages(steps);
        let first: string;
        try {
          first = renderDockerfile(image);
        } catch {
          return;
        }
        expect(renderDockerfile(image)).toBe(first);
        expect(renderDockerfile(JSON.parse(JSON.stringify(image)) as ImageSpec)).toBe(first);
      }),
      RUNS,
    );
  });
});
