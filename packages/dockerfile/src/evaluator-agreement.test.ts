// The two back ends must agree on values (DESIGN.md section 5): for any IR value and any environment, what
// BuildKit's lexer makes of the rendered Dockerfile equals what @chutes/image-core's evaluator (`expandWord`,
// used by the LLB back end) makes of the IR value, or both fail.

import { ExpansionError, expandWord } from "@chutes/image-core";
import type { ImageSpec, Step } from "@chutes/image-core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LexError, processWord } from "../test/moby-lexer.ts";
import { parseDockerfile } from "../test/moby-parser.ts";
import { RenderError, renderDockerfile } from "./index.ts";

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."${}:-+?\\'\" aA_1é/".split("")) },
  { weight: 2, arbitrary: fc.constantFrom("A", "B", "${A", "${B:-", "${A:+", "$A", "\\$", "\\\\", "\\}") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((ch) => !/[\n\r]/.test(ch)) },
);
const irValue = fc.string({ unit, maxLength: 16 });
const environment = fc.dictionary(fc.constantFrom("A", "B", "é"), fc.string({ maxLength: 4 }));

type Outcome = { value: string } | { error: string };

function evaluated(value: string, env: Readonly<Record<string, string>>): Outcome {
  try {
    return { value: expandWord(value, (name) => (Object.hasOwn(env, name) ? env[name] : undefined)) };
  } catch (error) {
    if (error instanceof ExpansionError) return { error: error.code };
    throw error;
  }
}

/** What BuildKit makes of the instruction's value; `undefined` when our lexer port cannot tell (patterns). */
function lexed(word: string, env: Readonly<Record<string, string>>): Outcome | undefined {
  try {
    return { value: processWord(word, env) };
  } catch (error) {
    if (!(error instanceof LexError)) throw error;
    if (error.message.includes("not ported")) return undefined;
    return { error: error.message };
  }
}

function spec(step: Step): ImageSpec {
  return { irVersion: 1, ref: { username: "u", name: "n", tag: "t" }, stages: [{ id: "m", base: "scratch", steps: [step] }] };
}

describe("the Dockerfile and the evaluator agree", () => {
  test.each<[string, (value: string) => Step, (args: readonly string[]) => string]>([
    ["ENV", (value) => ({ kind: "env", key: "K", value }), (args) => args[1] ?? ""],
    ["WORKDIR", (path) => ({ kind: "workdir", path }), (args) => args[0] ?? ""],
    ["COPY", (source) => ({ kind: "copy", sources: [source], dest: "/d" }), (args) => args[0] ?? ""],
  ])("%s", (_, makeStep, pick) => {
    fc.assert(
      fc.property(irValue, environment, (value, env) => {
        const expected = evaluated(value, env);
        let text: string;
        try {
          text = renderDockerfile(spec(makeStep(value)));
        } catch (error) {
          // Only a malformed value (which the evaluator refuses too), or a quote in a pattern word, may be refused.
          expect(error).toBeInstanceOf(RenderError);
          const message = (error as RenderError).message;
          expect(message).toMatch(/malformed|quote inside the pattern/);
          if (message.includes("malformed")) expect(expected).toHaveProperty("error");
          return;
        }
        const [, instruction] = parseDockerfile(text).instructions;
        const actual = lexed(pick(instruction?.args ?? []), env);
        if (actual === undefined) return;
        if ("error" in expected) expect(actual).toHaveProperty("error");
        else expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
