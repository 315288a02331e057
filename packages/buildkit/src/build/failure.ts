// A failed build, told in the image's terms: which step of which stage (and, when the image knows, which builder
// call), the command, the exit code and the last lines of its output.

import type { ImageSpec, Step } from "@chutes/image-core";
import { BuildKitError } from "../errors.ts";
import type { FailedStep } from "../errors.ts";
import type { SessionError } from "../session/errors.ts";
import type { StepCoordinates } from "./backend.ts";
import type { ImageLike } from "./options.ts";

/** The longest command shown in a message; the whole one is in `error.step.command`. */
const SHOWN_COMMAND = 300;

/** What `describeFailure` needs besides the error. */
export interface FailureContext {
  readonly spec: ImageSpec;
  readonly image: ImageLike;
  readonly stepOf: ((vertex: { readonly digest: string; readonly name: string }) => StepCoordinates | undefined) | undefined;
  /** Errors the session reported during the build (a file that could not be sent...). */
  readonly sessionErrors: readonly SessionError[];
  /** What `collectContext` warned about (a source that is not there, one `.dockerignore` excludes...). */
  readonly contextWarnings?: readonly { readonly code: string; readonly message: string }[];
}

/**
 * Rewrites a `build-failed` BuildKitError whose vertex maps to an image step:
 * `step 3 of stage app (aptInstall at image.ts:12): "apt-get update && ..." exited with code 100:` and the last
 * output lines. Other errors keep their message; both get the session's errors and a hint when the engine has no
 * default network.
 */
export function describeFailure(error: BuildKitError, context: FailureContext): BuildKitError {
  const extra = [...sessionLines(context.sessionErrors), ...contextLines(error, context.contextWarnings ?? []), ...hintLines(error)];
  const step = error.code === "build-failed" ? failedStep(error, context) : undefined;
  if (step === undefined) {
    return extra.length === 0 ? error : rebuild(error, [error.message, ...extra].join("\n"), undefined);
  }
  const head = `step ${step.step} of stage ${step.stage} (${callSite(step)})`;
  const engineMessage = error.vertex?.error !== undefined && error.vertex.error !== "" ? error.vertex.error : (error.grpcStatus?.message ?? error.message);
  const shown = step.command === undefined ? undefined : showCommand(step.command);
  const what =
    shown !== undefined && error.exitCode !== undefined
      ? `${shown} exited with code ${error.exitCode}`
      : shown !== undefined
        ? `${shown} failed: ${withoutCommand(engineMessage)}`
        : engineMessage;
  const output = error.logs.map((line) => `  ${line}`);
  const message = [`${head}: ${what}${output.length === 0 ? "" : ":"}`, ...output, ...extra].join("\n");
  return rebuild(error, message, step);
}

function failedStep(error: BuildKitError, context: FailureContext): FailedStep | undefined {
  const vertex = error.vertex;
  const coordinates =
    (vertex === undefined ? undefined : context.stepOf?.({ digest: vertex.digest, name: vertex.name })) ??
    runStepOfMessage(error.grpcStatus?.message ?? error.message, context.spec);
  if (coordinates === undefined) return undefined;
  const step = context.spec.stages.find((stage) => stage.id === coordinates.stage)?.steps[coordinates.step];
  if (step === undefined) return undefined;
  const origin = context.image.originOf?.(coordinates.stage, coordinates.step);
  const command = commandOf(step);
  return {
    stage: coordinates.stage,
    step: coordinates.step,
    kind: step.kind,
    ...(command === undefined ? {} : { command }),
    ...(origin === undefined ? {} : { method: origin.method }),
    ...(origin?.location === undefined ? {} : { location: origin.location }),
  };
}

/** A run step's command as the shell gets it (folded lines joined), an argv as JSON, a script as written. */
function commandOf(step: Step): string | undefined {
  if (step.kind !== "run") return undefined;
  const command = step.command;
  switch (command.form) {
    case "shell":
      return command.lines.join(" ");
    case "exec":
      return JSON.stringify(command.argv);
    case "script":
      return command.script.trim();
  }
}

/**
 * The run step whose process the engine's message names, when the progress named no vertex (BuildKit reports a
 * step that two builds share, running at the same time, to one of them only): `executor failed running
 * [/bin/sh -c <command>]: ...` (BuildKit 0.8) or `process "/bin/sh -c <command>" did not complete successfully:
 * ...` (later). Whitespace runs are compared as one blank (the frontend keeps a continuation's indentation). Only
 * a single match counts.
 */
export function runStepOfMessage(message: string, spec: ImageSpec): StepCoordinates | undefined {
  const match = /executor failed running \[(.*)\]: |process "((?:[^"\\]|\\.)*)" did not complete successfully: /s.exec(message);
  if (match === null) return undefined;
  const ran = squeeze(match[1] ?? unquoteGo(match[2] ?? ""));
  const found: StepCoordinates[] = [];
  for (const stage of spec.stages) {
    stage.steps.forEach((step, index) => {
      if (step.kind !== "run") return;
      const command = step.command.form === "exec" ? step.command.argv.join(" ") : commandOf(step);
      if (command === undefined) return;
      const text = squeeze(command);
      if (text !== "" && (ran === text || ran.endsWith(` ${text}`))) found.push({ stage: stage.id, step: index });
    });
  }
  return found.length === 1 ? found[0] : undefined;
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The contents of a Go `%q` string (JSON's escapes are a subset; anything else is taken as written). */
function unquoteGo(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}

function callSite(step: FailedStep): string {
  // A spec read from JSON knows no builder call: name the kind instead of "fromJSON".
  const method = step.method === undefined || step.method === "fromJSON" ? step.kind : step.method;
  return step.location === undefined ? method : `${method} at ${step.location.file}:${step.location.line}`;
}

/** A command for a message: an argv (JSON) as it is, anything else quoted; one line, at most 300 characters. */
function showCommand(command: string): string {
  const oneLine = command.replace(/\s*\n\s*/g, " ⏎ ");
  const short = oneLine.length <= SHOWN_COMMAND ? oneLine : `${oneLine.slice(0, SHOWN_COMMAND - 1)}…`;
  return command.startsWith("[") ? short : JSON.stringify(short);
}

/** The engine's reason without the command it repeats (`executor failed running [...]: `, `process "..." did not complete successfully: `). */
function withoutCommand(message: string): string {
  const match = /^(?:executor failed running \[.*\]|process ".*" did not complete successfully): (.*)$/s.exec(message);
  return match?.[1] ?? message;
}

function sessionLines(errors: readonly SessionError[]): string[] {
  return errors.length === 0 ? [] : ["the session reported:", ...errors.map((e) => `  ${e.code}: ${e.message}`)];
}

/** A failed build's context warnings: a missing or ignored source is the likely cause of a failed COPY. */
function contextLines(error: BuildKitError, warnings: readonly { readonly code: string; readonly message: string }[]): string[] {
  if (error.code !== "build-failed") return [];
  const relevant = warnings.filter((warning) => warning.code === "source-not-found" || warning.code === "source-ignored");
  return relevant.length === 0 ? [] : ["the build context:", ...relevant.map((warning) => `  ${warning.code}: ${warning.message}`)];
}

function hintLines(error: BuildKitError): string[] {
  const text = `${error.message}\n${error.vertex?.error ?? ""}`;
  if (/network bridge not found|could not find network.*bridge/i.test(text)) {
    return [
      'hint: the engine has no default bridge network (dockerd runs with --bridge=none); build with network "host" or "none" (chutes-image build --network host)',
    ];
  }
  return [];
}

function rebuild(error: BuildKitError, message: string, step: FailedStep | undefined): BuildKitError {
  return new BuildKitError(error.code, message, {
    cause: error,
    logs: error.logs,
    ...(error.grpcStatus === undefined ? {} : { grpcStatus: error.grpcStatus }),
    ...(error.vertex === undefined ? {} : { vertex: error.vertex }),
    ...(step === undefined ? {} : { step }),
    ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
    ...(error.address === undefined ? {} : { address: error.address }),
  });
}
