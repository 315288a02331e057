// `chutes-image render|inspect <file.ts>`: the Dockerfile, or the config, of the image a definition file exports.
// main.ts parses the arguments and loads this module only for these commands.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ChutesError, ValidationError, evaluate, imageUid, specDigest } from "@chutes/image-core";
import type { BaseImageConfig, ImageConfig } from "@chutes/image-core";
import { renderDockerfile } from "@chutes/dockerfile";
import { loadImage } from "./load.ts";
import type { CliIo } from "./main.ts";
import { reportDefinitionError } from "./report.ts";

/** The options main.ts parsed for these commands. */
export interface DefinitionOptions {
  readonly json: boolean;
  readonly export?: string;
  readonly syntax?: string;
  readonly baseConfig?: string;
}

/** Runs `render` or `inspect` on `file`; resolves to the exit code (0, or 1 for a definition's problems). */
export async function runDefinitionCommand(command: "render" | "inspect", file: string, values: DefinitionOptions, io: CliIo): Promise<number> {
  try {
    const image = await loadImage(file, { cwd: io.cwd, ...(values.export === undefined ? {} : { exportName: values.export }) });
    const issues = image.validate();
    if (issues.length > 0) throw new ValidationError(issues);
    const spec = image.toJSON();
    if (command === "render") {
      io.stdout.write(renderDockerfile(spec, values.syntax === undefined ? {} : { syntax: values.syntax }));
      return 0;
    }
    const baseConfig = values.baseConfig === undefined ? undefined : readBaseConfig(resolve(io.cwd, values.baseConfig));
    const config = evaluate(spec, baseConfig === undefined ? {} : { baseConfig }).config;
    const ref = `${spec.ref.username}/${spec.ref.name}:${spec.ref.tag}`;
    if (values.json) {
      const out = { ref, uid: imageUid(spec.ref), digest: specDigest(spec), readme: spec.readme ?? null, config };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      io.stdout.write(formatConfig(ref, config, spec.readme));
    }
    return 0;
  } catch (error) {
    const code = reportDefinitionError(command, file, error, io);
    if (code === undefined) throw error;
    return code;
  }
}

function readBaseConfig(path: string): BaseImageConfig {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as { Config?: BaseImageConfig; config?: BaseImageConfig } & BaseImageConfig;
    // Accept `docker inspect` output (an array), an OCI image config ({ config }), or a bare config.
    const first = (Array.isArray(data) ? (data[0] as typeof data) : data);
    return first.Config ?? first.config ?? first;
  } catch (error) {
    throw new ChutesError("invalid-base-config", `could not read the base config ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function formatConfig(ref: string, config: ImageConfig, readme: string | undefined): string {
  const rows: [string, string[]][] = [
    ["Image", [ref]],
    ["Readme", readme === undefined ? [] : [readme.trim().split("\n", 1)[0] ?? "", `(${readme.trim().split("\n").length} lines; --json for all)`]],
    ["Env", [...config.Env]],
    ["Entrypoint", [JSON.stringify(config.Entrypoint)]],
    ["Cmd", [JSON.stringify(config.Cmd)]],
    ["WorkingDir", [config.WorkingDir === "" ? "(not set: /)" : config.WorkingDir]],
    ["User", [config.User === "" ? "(not set: root)" : config.User]],
    ["ExposedPorts", Object.keys(config.ExposedPorts)],
    ["Labels", Object.entries(config.Labels).map(([key, value]) => `${key}=${value}`)],
  ];
  if (config.Healthcheck) rows.push(["Healthcheck", [JSON.stringify(config.Healthcheck)]]);
  if (config.Shell) rows.push(["Shell", [JSON.stringify(config.Shell)]]);
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return rows
    .map(([name, lines]) =>
      (lines.length === 0 ? ["(none)"] : lines).map((line, i) => `${(i === 0 ? name : "").padEnd(width)}${line}`).join("\n"),
    )
    .join("\n")
    .concat("\n");
}
