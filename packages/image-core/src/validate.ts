// Validation of a spec (DESIGN.md section 4): returns every issue, never throws. The builder calls it with the
// origin of each step (method and caller location); specs from JSON get method names from the step kind.

import { parseDuration } from "./duration.ts";
import type { Issue, SourceLocation } from "./errors.ts";
import { assertNever } from "./ir.ts";
import type { CopyOptions, ImageSpec, Mount, Stage, Step, StepKind } from "./ir.ts";
import { isValidTag, parseImageReference } from "./reference.ts";
import { classifySource } from "./source.ts";

/** Which builder call produced a step, and from where. */
export interface StepOrigin {
  readonly method: string;
  readonly location?: SourceLocation;
}

/** Origins for a whole spec, parallel to its stages and steps. */
export interface SpecOrigins {
  readonly ref?: StepOrigin;
  readonly stages?: readonly (StageOrigins | undefined)[];
}

export interface StageOrigins {
  readonly base?: StepOrigin;
  readonly steps: readonly (StepOrigin | undefined)[];
}

/** The builder method that makes each kind of step, for issues about specs that came from JSON. */
export const METHOD_OF_KIND: Readonly<Record<StepKind, string>> = {
  run: "runCommand",
  add: "add",
  copy: "copy",
  copyFrom: "copyFrom",
  env: "withEnv",
  workdir: "setWorkdir",
  user: "setUser",
  entrypoint: "withEntrypoint",
  cmd: "withCmd",
  label: "withLabel",
  expose: "exposePort",
  healthcheck: "withHealthcheck",
  arg: "withArg",
  shell: "withShell",
};

const NAME_RULE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const NAME_MAX = 63;
const STAGE_ID = /^[a-z][a-z0-9_.-]*$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ARG_NAME = ENV_KEY;
const OWNER_PART = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$/;
const CHMOD = /^[0-7]{3,4}$/;
const CHECKSUM = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;

/** Validates the image reference part of a spec: the seed's rules for username and name, Docker's for tags. */
export function validateRef(ref: ImageSpec["ref"], origin: StepOrigin = { method: "constructor" }): Issue[] {
  const issues: Issue[] = [];
  const base = { method: origin.method, ...(origin.location ? { location: origin.location } : {}) };
  for (const field of ["username", "name"] as const) {
    const value = ref[field];
    if (!NAME_RULE.test(value) || value.length > NAME_MAX) {
      issues.push({
        ...base,
        code: `invalid-${field}`,
        severity: "error",
        path: ["ref", field],
        value,
        message: `${field} ${JSON.stringify(value)} is not valid: use lowercase letters, digits and hyphens, not starting or ending with a hyphen, at most ${NAME_MAX} characters (e.g. "${suggestName(value)}")`,
      });
    }
  }
  if (!isValidTag(ref.tag)) {
    issues.push({
      ...base,
      code: "invalid-tag",
      severity: "error",
      path: ["ref", "tag"],
      value: ref.tag,
      message: `tag ${JSON.stringify(ref.tag)} is not a valid Docker tag: use letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters (e.g. "1.0.0")`,
    });
  }
  return issues;
}

/** Every issue in a spec: reference, stages, bases and steps. */
export function validateSpec(spec: ImageSpec, origins: SpecOrigins = {}): Issue[] {
  const issues: Issue[] = [...validateRef(spec.ref, origins.ref)];
  if (spec.stages.length === 0) {
    issues.push({
      code: "no-stages",
      severity: "error",
      method: "fromJSON",
      path: ["stages"],
      value: spec.stages,
      message: "the spec has no stages; an image needs at least one (call fromBase)",
    });
  }
  const seen = new Set<string>();
  spec.stages.forEach((stage, stageIndex) => {
    const stageOrigins = origins.stages?.[stageIndex];
    validateStage(stage, stageIndex, seen, stageOrigins, issues);
    seen.add(stage.id);
  });
  return issues;
}

function validateStage(
  stage: Stage,
  stageIndex: number,
  earlier: ReadonlySet<string>,
  origins: StageOrigins | undefined,
  issues: Issue[],
): void {
  const stagePath = ["stages", stageIndex] as const;
  const baseOrigin = origins?.base ?? { method: "fromBase" };
  const at = (origin: StepOrigin) => ({
    method: origin.method,
    stage: stage.id,
    ...(origin.location ? { location: origin.location } : {}),
  });
  if (!STAGE_ID.test(stage.id)) {
    issues.push({
      ...at({ method: "fromJSON" }),
      code: "invalid-stage-id",
      severity: "error",
      path: [...stagePath, "id"],
      value: stage.id,
      message: `stage id ${JSON.stringify(stage.id)} must start with a lowercase letter and hold only lowercase letters, digits, "_", "." and "-"`,
    });
  }
  if (earlier.has(stage.id)) {
    issues.push({
      ...at({ method: "fromJSON" }),
      code: "duplicate-stage",
      severity: "error",
      path: [...stagePath, "id"],
      value: stage.id,
      message: `stage id ${JSON.stringify(stage.id)} is used twice; give each stage its own id`,
    });
  }
  const base = stage.base;
  if (typeof base === "object" && "image" in base) {
    const parsed = parseImageReference(base.image);
    if (!parsed.ok) {
      issues.push({
        ...at(baseOrigin),
        code: "invalid-image-reference",
        severity: "error",
        path: [...stagePath, "base", "image"],
        value: base.image,
        message: `base image ${JSON.stringify(base.image)} is not a valid image reference: ${parsed.reason}`,
      });
    }
  } else if (typeof base === "object" && !earlier.has(base.stage)) {
    issues.push({
      ...at(baseOrigin),
      code: "unknown-stage",
      severity: "error",
      path: [...stagePath, "base", "stage"],
      value: base.stage,
      message: `base stage ${JSON.stringify(base.stage)} is not an earlier stage; a stage can only start from one defined before it`,
    });
  }
  stage.steps.forEach((step, stepIndex) => {
    const origin = origins?.steps[stepIndex] ?? { method: METHOD_OF_KIND[step.kind] };
    const report = (code: string, field: readonly (string | number)[], value: unknown, message: string) => {
      issues.push({
        ...at(origin),
        step: stepIndex,
        code,
        severity: "error",
        path: [...stagePath, "steps", stepIndex, ...field],
        value,
        message,
      });
    };
    validateStep(step, earlier, report);
  });
}

type Report = (code: string, field: readonly (string | number)[], value: unknown, message: string) => void;

function validateStep(step: Step, earlier: ReadonlySet<string>, report: Report): void {
  switch (step.kind) {
    case "run": {
      const command = step.command;
      if (command.form === "shell") {
        if (command.lines.length === 0 || command.lines.every((line) => line.trim() === "")) {
          report("empty-command", ["command", "lines"], command.lines, "the command is empty; give the shell command to run");
        }
        command.lines.forEach((line, i) => {
          if (/[\r\n]/.test(line)) {
            report("invalid-command", ["command", "lines", i], line, "a folded command line cannot hold a line break; use runScript for a multi-line script");
          }
        });
      } else if (command.form === "exec") {
        if (command.argv.length === 0 || command.argv[0] === "") {
          report("empty-command", ["command", "argv"], command.argv, "the argv is empty; give the program and its arguments, e.g. [\"python\", \"-V\"]");
        }
      } else {
        if (command.script.trim() === "") {
          report("empty-command", ["command", "script"], command.script, "the script is empty; give the script to run");
        }
        if (command.interpreter?.length === 0) {
          report("empty-command", ["command", "interpreter"], command.interpreter, "the interpreter is empty; give one such as [\"/bin/bash\"], or leave it out for the current shell");
        }
      }
      const targets = new Set<string>();
      const envs = new Set<string>();
      (step.mounts ?? []).forEach((mount, i) => {
        validateMount(mount, i, report);
        // A secret exposed as an environment variable gets a file only when it names a target.
        const target =
          mount.type !== "secret" ? mount.target : (mount.target ?? (mount.env === undefined ? `/run/secrets/${mount.id}` : undefined));
        if (target !== undefined && targets.has(target)) {
          report("duplicate-mount-target", ["mounts", i, "target"], target, `two mounts use the target ${target}; give each mount its own path`);
        }
        if (target !== undefined) targets.add(target);
        if (mount.type === "secret" && mount.env !== undefined) {
          if (envs.has(mount.env)) {
            report("duplicate-secret-env", ["mounts", i, "env"], mount.env, `two secrets set the variable ${mount.env}; give each secret its own variable name`);
          }
          envs.add(mount.env);
        }
      });
      return;
    }
    case "add":
    case "copy":
    case "copyFrom": {
      if (step.sources.length === 0) {
        report("no-sources", ["sources"], step.sources, "no source paths are given; name at least one file, directory or glob");
      }
      step.sources.forEach((source, i) => {
        validateSource(step, source, i, report);
      });
      if (step.dest.trim() === "") {
        report("invalid-path", ["dest"], step.dest, "the destination is empty; give a path in the image such as /app/ (a trailing / means a directory)");
      } else if (step.dest.includes("\0")) {
        report("invalid-path", ["dest"], step.dest, "the destination contains a NUL character; remove it");
      }
      validateCopyOptions(step, report);
      if (step.kind === "copyFrom" && !earlier.has(step.stage)) {
        report("unknown-stage", ["stage"], step.stage, `stage ${JSON.stringify(step.stage)} is not an earlier stage; copyFrom can only copy from a stage defined before this one`);
      }
      if (step.kind === "add") {
        const remote = step.sources.map(classifySource);
        if (step.checksum !== undefined) {
          if (!CHECKSUM.test(step.checksum)) {
            report("invalid-checksum", ["checksum"], step.checksum, "the checksum must be sha256:, sha384: or sha512: followed by the lowercase hex digest, e.g. sha256:<64 hex digits>");
          }
          if (!remote.every((kind) => kind === "url" || kind === "git")) {
            report("checksum-requires-remote", ["checksum"], step.checksum, "a checksum can only verify URL or git sources; remove it, or add the file from a URL");
          }
        }
        if (step.keepGitDir === true && !remote.every((kind) => kind === "git")) {
          report("keep-git-dir-requires-git", ["keepGitDir"], step.keepGitDir, "keepGitDir only applies to git sources (git@host:repo.git, https://host/repo.git#ref); remove it");
        }
      }
      return;
    }
    case "env":
      if (!ENV_KEY.test(step.key)) {
        report("invalid-env-key", ["key"], step.key, `environment variable name ${JSON.stringify(step.key)} is not valid: use letters, digits and "_", not starting with a digit (e.g. "${suggestEnvKey(step.key)}")`);
      }
      return;
    case "workdir":
      if (step.path.trim() === "" || step.path.includes("\0")) {
        report("invalid-path", ["path"], step.path, "the working directory must be a non-empty path, such as /app");
      }
      return;
    case "user":
      if (!isOwner(step.user)) {
        report("invalid-user", ["user"], step.user, `user ${JSON.stringify(step.user)} must be "user", "user:group", "uid" or "uid:gid" (e.g. "1000:1000" or "appuser")`);
      }
      return;
    case "entrypoint":
    case "cmd":
      step.argv.forEach((arg, i) => {
        if (typeof arg !== "string") report("invalid-argv", ["argv", i], arg, "every argument must be a string");
      });
      return;
    case "shell":
      if (step.argv.length === 0 || step.argv[0] === "") {
        report("empty-command", ["argv"], step.argv, "the shell is empty; give one such as [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]");
      }
      return;
    case "label":
      if (step.key.trim() === "" || /[\r\n=]/.test(step.key)) {
        report("invalid-label-key", ["key"], step.key, "a label key must be non-empty without \"=\" or line breaks, e.g. org.opencontainers.image.version");
      }
      return;
    case "expose":
      if (!Number.isInteger(step.port) || step.port < 1 || step.port > 65535) {
        report("invalid-port", ["port"], step.port, `port ${String(step.port)} is not an integer from 1 to 65535`);
      }
      if ((step.protocol as string) !== "tcp" && (step.protocol as string) !== "udp") {
        report("invalid-port", ["protocol"], step.protocol, 'the protocol must be "tcp" or "udp"');
      }
      return;
    case "healthcheck": {
      if (step.test !== null && (step.test.length === 0 || step.test[0] === "")) {
        report("empty-command", ["test"], step.test, "the health check command is empty; give argv such as [\"curl\", \"-f\", \"http://localhost:8000/health\"], or null to disable");
      }
      for (const field of ["interval", "timeout", "startPeriod", "startInterval"] as const) {
        const value = step[field];
        if (value !== undefined && parseDuration(value) === undefined) {
          report("invalid-duration", [field], value, `${field} ${JSON.stringify(value)} is not a duration; write it like 30s, 1m30s or 500ms`);
        }
      }
      if (step.retries !== undefined && (!Number.isInteger(step.retries) || step.retries < 0)) {
        report("invalid-retries", ["retries"], step.retries, "retries must be a whole number of at least 0");
      }
      return;
    }
    case "arg":
      if (!ARG_NAME.test(step.name)) {
        report("invalid-arg-name", ["name"], step.name, `build argument name ${JSON.stringify(step.name)} is not valid: use letters, digits and "_", not starting with a digit`);
      }
      return;
    default:
      assertNever(step, "step");
  }
}

function validateSource(step: Extract<Step, { kind: "add" | "copy" | "copyFrom" }>, source: string, i: number, report: Report): void {
  if (source.trim() === "" || source.includes("\0")) {
    report("invalid-path", ["sources", i], source, "a source path must be non-empty, without NUL characters");
    return;
  }
  const kind = classifySource(source);
  if (step.kind === "copyFrom") return; // paths inside another stage: absolute is fine
  if (kind !== "local") {
    if (step.kind === "copy") {
      report("remote-source-in-copy", ["sources", i], source, "copy only takes paths in the build context; use add for URLs and git sources");
    }
    return;
  }
  if (source.startsWith("/")) {
    report("source-outside-context", ["sources", i], source, `absolute source ${JSON.stringify(source)} is outside the build context; give a path relative to the context root`);
    return;
  }
  const depth = source.split("/").reduce((d, part) => (d < 0 ? d : part === ".." ? d - 1 : part === "." || part === "" ? d : d + 1), 0);
  if (depth < 0) {
    report("source-outside-context", ["sources", i], source, `source ${JSON.stringify(source)} climbs out of the build context with ".."; keep sources inside the context root`);
  }
}

function validateCopyOptions(step: CopyOptions, report: Report): void {
  if (step.chown !== undefined && !isOwner(step.chown)) {
    report("invalid-chown", ["chown"], step.chown, `chown ${JSON.stringify(step.chown)} must be "user", "user:group", "uid" or "uid:gid" (e.g. "1000:1000")`);
  }
  if (step.chmod !== undefined && !CHMOD.test(step.chmod)) {
    report("invalid-chmod", ["chmod"], step.chmod, `chmod ${JSON.stringify(step.chmod)} must be an octal mode of 3 or 4 digits, e.g. "755" or "0644"`);
  }
  (step.exclude ?? []).forEach((pattern, i) => {
    if (pattern.trim() === "") report("invalid-exclude", ["exclude", i], pattern, "an exclude pattern is empty; remove it");
  });
}

function validateMount(mount: Mount, i: number, report: Report): void {
  const target = mount.type === "secret" ? mount.target : mount.target;
  if (target !== undefined && !target.startsWith("/")) {
    report("invalid-mount-target", ["mounts", i, "target"], target, `mount target ${JSON.stringify(target)} must be an absolute path such as /root/.cache/pip`);
  }
  switch (mount.type) {
    case "cache":
      if (mount.id?.trim() === "") report("invalid-mount", ["mounts", i, "id"], mount.id, "the cache id is empty; leave it out to use the target as the id");
      break;
    case "secret":
      if (!SECRET_ID.test(mount.id)) {
        report("invalid-secret-id", ["mounts", i, "id"], mount.id, `secret id ${JSON.stringify(mount.id)} must hold only letters, digits, "_", "." and "-"`);
      }
      if (mount.env !== undefined && !ENV_KEY.test(mount.env)) {
        report(
          "invalid-secret-env",
          ["mounts", i, "env"],
          mount.env,
          `secret env ${JSON.stringify(mount.env)} must be a variable name: a letter or "_", then letters, digits or "_", e.g. "HF_TOKEN"`,
        );
      }
      break;
    case "tmpfs":
      if (mount.size !== undefined && (!Number.isInteger(mount.size) || mount.size <= 0)) {
        report("invalid-mount", ["mounts", i, "size"], mount.size, "the tmpfs size must be a positive whole number of bytes");
      }
      return;
    default:
      assertNever(mount, "mount");
  }
  if (mount.mode !== undefined && !CHMOD.test(mount.mode)) {
    report("invalid-mount", ["mounts", i, "mode"], mount.mode, "the mount mode must be octal, e.g. \"0400\"");
  }
  for (const field of ["uid", "gid"] as const) {
    const value = mount[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      report("invalid-mount", ["mounts", i, field], value, `${field} must be a whole number of at least 0`);
    }
  }
}

function isOwner(text: string): boolean {
  const parts = text.split(":");
  return parts.length <= 2 && parts.every((part) => OWNER_PART.test(part));
}

function suggestName(value: string): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, NAME_MAX);
  return cleaned === "" ? "my-image" : cleaned.replace(/-+$/, "");
}

function suggestEnvKey(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^([0-9])/, "_$1");
  return cleaned === "" ? "MY_VAR" : cleaned;
}
