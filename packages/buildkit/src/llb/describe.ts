// How a step reads in progress (`llb.customname`) and in the image history (`created_by`): the Dockerfile line
// it corresponds to, so `docker history` and the progress view read as they would for a Dockerfile build.

import { assertNever } from "@chutes/image-core";
import type { HealthcheckStep, Mount, RunStep, Step } from "@chutes/image-core";

function json(values: readonly string[]): string {
  return JSON.stringify(values);
}

function mountFlag(mount: Mount): string {
  switch (mount.type) {
    case "cache":
      return `--mount=type=cache,target=${mount.target}${mount.id === undefined ? "" : `,id=${mount.id}`}`;
    case "secret":
      return `--mount=type=secret,id=${mount.id}${mount.target === undefined ? "" : `,target=${mount.target}`}${mount.env === undefined ? "" : `,env=${mount.env}`}`;
    case "tmpfs":
      return `--mount=type=tmpfs,target=${mount.target}`;
    default:
      return assertNever(mount, "mount");
  }
}

/** The command of a run step as written: the folded shell line, the argv as JSON, or the script. */
export function commandText(step: RunStep): string {
  const command = step.command;
  switch (command.form) {
    case "shell":
      return command.lines.join(" ");
    case "exec":
      return json(command.argv);
    case "script":
      return command.script;
    default:
      return assertNever(command, "run command");
  }
}

function healthcheckLine(step: HealthcheckStep): string {
  if (step.test === null) return "HEALTHCHECK NONE";
  const flags = [
    step.interval === undefined ? "" : ` --interval=${step.interval}`,
    step.timeout === undefined ? "" : ` --timeout=${step.timeout}`,
    step.startPeriod === undefined ? "" : ` --start-period=${step.startPeriod}`,
    step.startInterval === undefined ? "" : ` --start-interval=${step.startInterval}`,
    step.retries === undefined ? "" : ` --retries=${step.retries}`,
  ].join("");
  return `HEALTHCHECK${flags} CMD ${json(step.test)}`;
}

function copyFlags(step: { readonly chown?: string; readonly chmod?: string; readonly exclude?: readonly string[] }): string {
  return [
    step.chown === undefined ? "" : ` --chown=${step.chown}`,
    step.chmod === undefined ? "" : ` --chmod=${step.chmod}`,
    ...(step.exclude ?? []).map((pattern) => ` --exclude=${pattern}`),
  ].join("");
}

/**
 * The Dockerfile instruction a step corresponds to, from the evaluated (expanded) step. `runArgs` is what a run
 * step executes: the history shows it, as Docker's does (`RUN /bin/sh -c …`); progress shows the command.
 */
export function stepLine(step: Step, runArgs?: readonly string[]): string {
  switch (step.kind) {
    case "run": {
      if (runArgs !== undefined) return `RUN ${runArgs.join(" ")}`;
      const flags = [...(step.mounts ?? []).map(mountFlag), ...(step.network === undefined || step.network === "default" ? [] : [`--network=${step.network}`])];
      return `RUN ${flags.map((flag) => `${flag} `).join("")}${commandText(step)}`;
    }
    case "add":
      return `ADD${copyFlags(step)}${step.checksum === undefined ? "" : ` --checksum=${step.checksum}`}${step.keepGitDir === true ? " --keep-git-dir=true" : ""} ${[...step.sources, step.dest].join(" ")}`;
    case "copy":
      return `COPY${copyFlags(step)} ${[...step.sources, step.dest].join(" ")}`;
    case "copyFrom":
      return `COPY --from=${step.stage}${copyFlags(step)} ${[...step.sources, step.dest].join(" ")}`;
    case "env":
      return `ENV ${step.key}=${step.value}`;
    case "workdir":
      return `WORKDIR ${step.path}`;
    case "user":
      return `USER ${step.user}`;
    case "entrypoint":
      return `ENTRYPOINT ${json(step.argv)}`;
    case "cmd":
      return `CMD ${json(step.argv)}`;
    case "label":
      return `LABEL ${step.key}=${step.value}`;
    case "expose":
      return `EXPOSE ${step.port}/${step.protocol}`;
    case "healthcheck":
      return healthcheckLine(step);
    case "arg":
      return `ARG ${step.name}`;
    case "shell":
      return `SHELL ${json(step.argv)}`;
    default:
      return assertNever(step, "step");
  }
}
