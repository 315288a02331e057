// One step of the IR as one Dockerfile instruction (a RUN heredoc or continuation spans several lines).

import { assertNever } from "@chutes/image-core";
import type { ArgStep, EnvStep, HealthcheckStep, LabelStep, Step } from "@chutes/image-core";
import { requireInteger, requireKey, requireNonEmpty, requireSingleLine, requireWellFormed } from "./checks.ts";
import { renderCopy } from "./copy.ts";
import { unrenderable } from "./errors.ts";
import type { StepContext } from "./errors.ts";
import { flag } from "./flags.ts";
import { jsonArray, quoteValue, renderKey, restOfLine } from "./quote.ts";
import { renderRun } from "./run.ts";
import type { RunContext } from "./run.ts";

/** Renders `step`; `context.where` names it in errors. */
export function renderInstruction(step: Step, context: RunContext): string {
  const { where } = context;
  switch (step.kind) {
    case "run":
      return renderRun(step, context);
    case "add":
    case "copy":
    case "copyFrom":
      return renderCopy(step, where);
    case "env":
      return `ENV ${keyValue(step, where)}`;
    case "label":
      return `LABEL ${keyValue(step, where)}`;
    case "arg":
      return `ARG ${argument(step, where)}`;
    case "workdir":
      return `WORKDIR ${lineValue(where, "path", step.path)}`;
    case "user":
      return `USER ${lineValue(where, "user", step.user)}`;
    case "entrypoint":
      return `ENTRYPOINT ${argv(where, "argv", step.argv)}`;
    case "cmd":
      return `CMD ${argv(where, "argv", step.argv)}`;
    case "shell":
      requireNonEmpty(where, "argv", step.argv, "SHELL needs a program");
      return `SHELL ${argv(where, "argv", step.argv)}`;
    case "expose": {
      requireInteger(where, "port", step.port, 0, 65535);
      // A spec from JSON is not checked by the type system.
      const protocol: string = step.protocol;
      if (protocol !== "tcp" && protocol !== "udp") {
        unrenderable(where, "protocol", protocol, "it is not tcp or udp.", "Use tcp or udp.");
      }
      return `EXPOSE ${step.port}/${protocol}`;
    }
    case "healthcheck":
      return healthcheck(step, where);
    default:
      return assertNever(step, "step");
  }
}

/** A value in the lexer's syntax, double-quoted. */
function value(where: StepContext, field: string, text: string): string {
  requireSingleLine(where, field, text);
  return quoteValue(text, (problem) =>
    unrenderable(where, field, text, problem, "Escape a literal `$` as `\\$`, or fix the substitution."),
  );
}

/** The rest-of-line value of WORKDIR and USER: bare when plain, double-quoted otherwise. */
function lineValue(where: StepContext, field: string, text: string): string {
  requireSingleLine(where, field, text);
  return restOfLine(text, (problem) =>
    unrenderable(where, field, text, problem, "Escape a literal `$` as `\\$`, or fix the substitution."),
  );
}

function keyValue(step: EnvStep | LabelStep, where: StepContext): string {
  requireKey(where, "key", step.key);
  return `${renderKey(step.key)}=${value(where, "value", step.value)}`;
}

function argument(step: ArgStep, where: StepContext): string {
  requireKey(where, "name", step.name);
  const name = renderKey(step.name);
  return step.default === undefined ? name : `${name}=${value(where, "default", step.default)}`;
}

function argv(where: StepContext, field: string, items: readonly string[]): string {
  items.forEach((item, index) => {
    requireWellFormed(where, `${field}[${index}]`, item);
  });
  return jsonArray(items);
}

function healthcheck(step: HealthcheckStep, where: StepContext): string {
  if (step.test === null) return "HEALTHCHECK NONE";
  requireNonEmpty(where, "test", step.test, "HEALTHCHECK CMD needs a command");
  const flags: string[] = [];
  if (step.interval !== undefined) flags.push(flag(where, "interval", "interval", step.interval));
  if (step.timeout !== undefined) flags.push(flag(where, "timeout", "timeout", step.timeout));
  if (step.startPeriod !== undefined) flags.push(flag(where, "startPeriod", "start-period", step.startPeriod));
  if (step.startInterval !== undefined) {
    flags.push(flag(where, "startInterval", "start-interval", step.startInterval));
  }
  if (step.retries !== undefined) {
    requireInteger(where, "retries", step.retries, 0, 0x7fffffff);
    flags.push(`--retries=${step.retries}`);
  }
  return ["HEALTHCHECK", ...flags, "CMD", argv(where, "test", step.test)].join(" ");
}
