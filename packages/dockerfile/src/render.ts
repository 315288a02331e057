// The IR as a Dockerfile: stages in order, one instruction per step, deterministic bytes.

import { ValidationError } from "@chutes/image-core";
import type { ImageSpec, Issue, Stage } from "@chutes/image-core";
import { RenderError } from "./errors.ts";
import type { StepContext } from "./errors.ts";
import { isWellFormed } from "./go-text.ts";
import { renderInstruction } from "./instruction.ts";

export interface RenderOptions {
  /**
   * Emit `# syntax=<value>` as the first line (e.g. `"docker/dockerfile:1.7"`), which also enables heredocs
   * for `runScript`.
   */
  readonly syntax?: string;
}

/** Anything that holds an image definition and can check it, such as `Image` from @chutes/image-core. */
export interface ImageLike {
  toJSON(): ImageSpec;
  validate(): readonly Issue[];
}

/** The shell of a stage until a SHELL step changes it (BuildKit's default on Linux). */
const DEFAULT_SHELL: readonly string[] = ["/bin/sh", "-c"];

/** Docker's rule for stage names (`FROM ... AS <name>`). */
const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;

/** A FROM image reference we can write as it is: no blank, quote, backslash or `$` (FROM expands ARGs). */
const IMAGE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

/** A physical line longer than this stops BuildKit's parser (bufio.Scanner's 64 KiB token limit). */
const MAX_LINE_BYTES = 65535;

/**
 * Renders an image as a Dockerfile. An `ImageLike` is validated first and its issues thrown as one
 * `ValidationError`; a bare `ImageSpec` is rendered as it is. Throws `RenderError` for a value no Dockerfile
 * can express. The text ends with exactly one newline and is the same for the same input, every time.
 */
export function renderDockerfile(image: ImageLike | ImageSpec, options: RenderOptions = {}): string {
  const spec = specOf(image);
  checkSpec(spec);
  const syntax = checkSyntax(options.syntax);

  const out: string[] = [];
  if (syntax !== undefined) out.push(`# syntax=${syntax}`);
  const finalShells = new Map<string, readonly string[]>();
  spec.stages.forEach((stage, index) => {
    if (index > 0) out.push("");
    out.push(renderFrom(spec, stage, index));
    const base = stage.base;
    let shell = base !== "scratch" && "stage" in base ? (finalShells.get(base.stage) ?? DEFAULT_SHELL) : DEFAULT_SHELL;
    stage.steps.forEach((step, stepIndex) => {
      const where = { stage: stage.id, step: stepIndex, kind: step.kind };
      if (step.kind === "copyFrom") checkCopyFrom(spec, index, step.stage, where);
      const text = renderInstruction(step, { where, shell, heredocs: syntax !== undefined });
      checkLineLengths(text, where);
      out.push(text);
      if (step.kind === "shell") shell = step.argv;
    });
    finalShells.set(stage.id, shell);
  });
  return `${out.join("\n")}\n`;
}

function isImageLike(image: ImageLike | ImageSpec): image is ImageLike {
  const candidate = image as Partial<ImageLike>;
  return typeof candidate.validate === "function" && typeof candidate.toJSON === "function";
}

function specOf(image: ImageLike | ImageSpec): ImageSpec {
  if (!isImageLike(image)) return image;
  const issues = image.validate();
  if (issues.length > 0) throw new ValidationError(issues);
  return image.toJSON();
}

function checkSpec(spec: ImageSpec): void {
  const version: unknown = spec.irVersion;
  if (version !== 1) {
    throw new RenderError("unsupported-ir", `irVersion ${JSON.stringify(version)} is not 1; only IR version 1 renders.`, {
      value: version,
    });
  }
  if (spec.stages.length === 0) {
    throw new RenderError("unsupported-ir", "the spec has no stage; an image needs at least one (its base).", {
      value: spec.stages,
    });
  }
  const seen = new Set<string>();
  for (const stage of spec.stages) {
    if (seen.has(stage.id)) {
      throw new RenderError(
        "unknown-stage",
        `stage ${JSON.stringify(stage.id)} appears twice; stage ids must be unique. Rename one of them.`,
        { stage: stage.id, value: stage.id },
      );
    }
    seen.add(stage.id);
    if (spec.stages.length > 1 && !STAGE_NAME.test(stage.id)) {
      throw new RenderError(
        "unrenderable-value",
        `stage ${JSON.stringify(stage.id)}: the id is not a Dockerfile stage name ([a-z][a-z0-9_.-]*). ` +
          "Rename the stage.",
        { stage: stage.id, value: stage.id },
      );
    }
  }
}

function checkSyntax(syntax: string | undefined): string | undefined {
  if (syntax === undefined) return undefined;
  if (syntax === "" || syntax !== syntax.trim() || /[\n\r]/.test(syntax) || !isWellFormed(syntax)) {
    throw new RenderError(
      "invalid-option",
      `options.syntax ${JSON.stringify(syntax)} is not a frontend image reference for a \`# syntax=\` line: ` +
        'give one line without surrounding blanks, such as "docker/dockerfile:1.7".',
      { value: syntax },
    );
  }
  return syntax;
}

/** `FROM <base>`, with `AS <id>` when there is more than one stage. */
function renderFrom(spec: ImageSpec, stage: Stage, index: number): string {
  const earlier = spec.stages.slice(0, index).map((s) => s.id);
  const as = spec.stages.length > 1 ? ` AS ${stage.id}` : "";
  const base = stage.base;
  if (base === "scratch") return `FROM scratch${as}`;
  if ("stage" in base) {
    if (!earlier.includes(base.stage)) {
      throw new RenderError(
        "unknown-stage",
        `stage ${JSON.stringify(stage.id)}: its base is stage ${JSON.stringify(base.stage)}, which is not an ` +
          "earlier stage of this spec, so a Dockerfile would read it as an image name. Define that stage first.",
        { stage: stage.id, value: base.stage },
      );
    }
    return `FROM ${base.stage}${as}`;
  }
  const image = base.image;
  if (!IMAGE_REFERENCE.test(image)) {
    throw new RenderError(
      "unrenderable-value",
      `stage ${JSON.stringify(stage.id)}: base image ${JSON.stringify(image)} is not an image reference a ` +
        "FROM line can carry as it is (no blanks, quotes, backslashes or `$`). Give a plain reference such as " +
        '"python:3.11-slim".',
      { stage: stage.id, value: image },
    );
  }
  if (earlier.includes(image.toLowerCase())) {
    throw new RenderError(
      "unknown-stage",
      `stage ${JSON.stringify(stage.id)}: base image ${JSON.stringify(image)} has the name of an earlier stage, ` +
        "so a Dockerfile would build on that stage instead. Rename the stage, or use { stage } to mean it.",
      { stage: stage.id, value: image },
    );
  }
  return `FROM ${image}${as}`;
}

function checkCopyFrom(
  spec: ImageSpec,
  index: number,
  name: string,
  where: StepContext,
): void {
  if (spec.stages.slice(0, index).some((stage) => stage.id === name)) return;
  throw new RenderError(
    "unknown-stage",
    `stage ${JSON.stringify(where.stage)}, step ${where.step} (copyFrom), stage ${JSON.stringify(name)}: it is not ` +
      "an earlier stage of this spec, so `COPY --from` would read it as an image name. Define that stage first.",
    { ...where, value: name },
  );
}

/** The UTF-8 length of a well-formed string. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function checkLineLengths(text: string, where: StepContext): void {
  for (const line of text.split("\n")) {
    if (line.length <= MAX_LINE_BYTES / 3) continue;
    const bytes = utf8Length(line);
    if (bytes > MAX_LINE_BYTES) {
      throw new RenderError(
        "unrenderable-value",
        `stage ${JSON.stringify(where.stage)}, step ${where.step} (${where.kind}): a line of its instruction is ` +
          `${bytes} bytes, more than the ${MAX_LINE_BYTES} a Dockerfile line can hold. ` +
          "Set the `syntax` option so scripts render as heredocs, shorten the value, or build through the LLB " +
          "back end (@chutes/buildkit).",
        { ...where, value: line.length > 200 ? `${line.slice(0, 200)}…` : line },
      );
    }
  }
}
