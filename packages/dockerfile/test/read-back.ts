// Test-only: reads a rendered Dockerfile back the way BuildKit does (parser, then the lexer for the
// instructions and fields it runs through the lexer) and returns the values a build would use.

import { processWord } from "./moby-lexer.ts";
import { parseDockerfile, parseHeredoc } from "./moby-parser.ts";
import type { Instruction, ParseOptions } from "./moby-parser.ts";

export interface SeenInstruction {
  readonly command: string;
  /** `--name=value` flags, in order. */
  readonly flags: readonly (readonly [string, string])[];
  /** What the instruction carries after BuildKit's processing (see `seen`). */
  readonly values: readonly string[];
  readonly json: boolean;
  readonly heredocs: Instruction["heredocs"];
}

/**
 * Every instruction with the values a build uses:
 * - ENV, LABEL: key, value, ... (both lexed); ARG: key and, when given, `=` and the lexed default;
 * - WORKDIR, USER: the lexed rest of the line; ADD, COPY: every source and the destination, lexed;
 * - RUN, CMD, ENTRYPOINT, SHELL: the JSON argv, or the shell-form text as it is;
 * - HEALTHCHECK: the type, then the argv; FROM, EXPOSE: the words.
 */
export function readBack(
  text: string,
  env: Readonly<Record<string, string>> = {},
  options: ParseOptions = {},
): SeenInstruction[] {
  return parseDockerfile(text, options).instructions.map((instruction) => ({
    command: instruction.command,
    flags: instruction.flags.map((flag) => {
      const body = flag.replace(/^--/, "");
      const at = body.indexOf("=");
      return at < 0 ? ([body, ""] as const) : ([body.slice(0, at), body.slice(at + 1)] as const);
    }),
    values: seen(instruction, env),
    json: instruction.json,
    heredocs: instruction.heredocs,
  }));
}

function seen(instruction: Instruction, env: Readonly<Record<string, string>>): string[] {
  const lex = (word: string): string => processWord(word, env);
  switch (instruction.command) {
    case "env":
    case "label":
      return instruction.args.map(lex);
    case "arg": {
      const out: string[] = [];
      for (const word of instruction.args) {
        const at = word.indexOf("=");
        if (at < 0) out.push(lex(word));
        else out.push(lex(word.slice(0, at)), "=", lex(word.slice(at + 1)));
      }
      return out;
    }
    case "workdir":
    case "user":
      return instruction.args.map(lex);
    case "add":
    case "copy":
      return instruction.args.map((arg) => {
        if (parseHeredoc(arg) !== undefined) throw new Error(`BuildKit would read ${JSON.stringify(arg)} as a heredoc`);
        return lex(arg);
      });
    default:
      return [...instruction.args];
  }
}
