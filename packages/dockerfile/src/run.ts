// The RUN instruction: flags, then the command in shell, exec or script form.

import { assertNever } from "@chutes/image-core";
import type { RunStep } from "@chutes/image-core";
import { requireNonEmpty, requireWellFormed } from "./checks.ts";
import { unrenderable } from "./errors.ts";
import type { StepContext } from "./errors.ts";
import { mountFlag, networkFlag } from "./flags.ts";
import { isGoBlank } from "./go-text.ts";
import { fitsHeredoc, renderHeredoc } from "./heredoc.ts";
import { jsonArray } from "./quote.ts";
import { layoutShellCommand } from "./shell-form.ts";

/** What a RUN needs besides the step: the stage's shell so far and whether heredocs are enabled. */
export interface RunContext {
  readonly where: StepContext;
  /** The argv of the stage's current shell (the last SHELL, or `["/bin/sh", "-c"]`). */
  readonly shell: readonly string[];
  /** A `# syntax` line is emitted, so heredocs can be used. */
  readonly heredocs: boolean;
}

const CONTINUATION = " \\\n    ";

export function renderRun(step: RunStep, context: RunContext): string {
  const { where, shell } = context;
  const head = ["RUN", ...runFlags(step, where)].join(" ");
  const command = step.command;
  switch (command.form) {
    case "shell": {
      const pieces = command.lines;
      pieces.forEach((piece, index) => {
        requireWellFormed(where, `command.lines[${index}]`, piece);
        if (/[\n\r]/.test(piece)) {
          unrenderable(
            where,
            `command.lines[${index}]`,
            piece,
            "it contains a line break, so it is not one line of a folded shell command.",
            "Use runScript for a multi-line script, or split the text into lines.",
          );
        }
      });
      if (pieces.every((piece) => isGoBlank(piece))) {
        unrenderable(where, "command.lines", pieces, "the shell command is empty.", "Give a command to run.");
      }
      const layout = layoutShellCommand(pieces);
      if (layout.form === "exec") return `${head} ${jsonArray([...shell, pieces.join(" ")])}`;
      return `${head} ${layout.lines.join(CONTINUATION)}`;
    }
    case "exec":
      requireNonEmpty(where, "command.argv", command.argv, "RUN needs a program to run");
      command.argv.forEach((arg, index) => {
        requireWellFormed(where, `command.argv[${index}]`, arg);
      });
      return `${head} ${jsonArray(command.argv)}`;
    case "script": {
      const { script, interpreter } = command;
      requireWellFormed(where, "command.script", script);
      if (interpreter !== undefined) {
        interpreter.forEach((arg, index) => {
          requireWellFormed(where, `command.interpreter[${index}]`, arg);
        });
        return `${head} ${jsonArray([...interpreter, "-c", script])}`;
      }
      if (context.heredocs && fitsHeredoc(script)) return renderHeredoc(head, script);
      return `${head} ${jsonArray([...shell, script])}`;
    }
    default:
      return assertNever(command, "run command");
  }
}

function runFlags(step: RunStep, where: StepContext): string[] {
  const flags = (step.mounts ?? []).map((mount, index) => mountFlag(where, index, mount));
  const network = networkFlag(where, step.network);
  if (network !== undefined) flags.push(network);
  return flags;
}
