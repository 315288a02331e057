// Command dispatch for `chutes-image`. Exit codes: 0 ok, 1 the definition has problems (or lint errors),
// 2 usage errors; `build` adds 3 (the build failed), 4 (no engine) and 130 (interrupted); `engine` uses 4 too.

import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ChutesError, ValidationError, evaluate, formatIssue, imageUid, specDigest } from "@chutes/image-core";
import type { BaseImageConfig, ImageConfig, Issue } from "@chutes/image-core";
import { renderDockerfile } from "@chutes/dockerfile";
import { contextCommand } from "./context-command.ts";
import { COMMANDS, COMMAND_LIST, DEFINITION_USAGE, USAGE } from "./help.ts";
import { initCommand } from "./init-command.ts";
import { lintCommand } from "./lint-command.ts";
import { loadImage } from "./load.ts";

/** Where the CLI writes, and the directory paths are relative to. */
export interface CliIo {
  /** A terminal (`isTTY`) may get colour (never with NO_COLOR). */
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Also where `build` shows progress: a terminal (`isTTY`) gets the redrawing view. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
  readonly cwd: string;
  /** The environment: `build --secret id=X,env=VAR`, DOCKER_HOST, NO_COLOR, FORCE_COLOR (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Cancels a running `build` or `engine up|down` (the executable wires SIGINT to it). */
  readonly signal?: AbortSignal;
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === "help") return main(argv[1] === undefined ? ["--help"] : [argv[1], "--help"], io);
  if (argv[0] === "context") return contextCommand(argv.slice(1), io);
  if (argv[0] === "init") return initCommand(argv.slice(1), io);
  if (argv[0] === "lint") return lintCommand(argv.slice(1), io);
  // Loaded on demand: the BuildKit client (gRPC, protobuf) and the presets' tables would slow every other
  // command's start.
  if (argv[0] === "build") return (await import("./build-command.ts")).buildCommand(argv.slice(1), io);
  if (argv[0] === "engine") return (await import("./engine-command.ts")).engineCommand(argv.slice(1), io);
  if (argv[0] === "presets") return (await import("./presets-command.ts")).presetsCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        export: { type: "string" },
        json: { type: "boolean", default: false },
        syntax: { type: "string" },
        "base-config": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    const command = definitionCommand(argv[0]);
    const name = command === undefined ? "chutes-image" : `chutes-image ${command}`;
    io.stderr.write(`${name}: ${(error as Error).message}\n\n${command === undefined ? USAGE : DEFINITION_USAGE[command]}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  const definition = definitionCommand(command);
  if (command !== undefined && definition === undefined) {
    if (!COMMANDS.some((name) => name === command)) {
      io.stderr.write(`chutes-image: unknown command "${command}"; use ${COMMAND_LIST}\n\n${USAGE}`);
      return 2;
    }
    // A command after an option (`chutes-image --help build`): its own help, or where its options go.
    if (values.help) return main([command, "--help"], io);
    io.stderr.write(`chutes-image: put the command first, e.g. ${["chutes-image", command, ...positionals.slice(1), "<options>"].join(" ")}\n`);
    return 2;
  }
  if (values.help || command === undefined) {
    (values.help ? io.stdout : io.stderr).write(definition === undefined ? USAGE : DEFINITION_USAGE[definition]);
    return values.help ? 0 : 2;
  }
  if (file === undefined || extra.length > 0) {
    io.stderr.write(`chutes-image ${command}: give exactly one definition file, e.g. chutes-image ${command} image.ts\n`);
    return 2;
  }

  try {
    const image = await loadImage(file, { cwd: io.cwd, ...(values.export === undefined ? {} : { exportName: values.export }) });
    const issues = image.validate();
    if (issues.length > 0) throw new ValidationError(issues);
    const spec = image.toJSON();
    if (definition === "render") {
      io.stdout.write(renderDockerfile(spec, values.syntax === undefined ? {} : { syntax: values.syntax }));
      return 0;
    }
    const baseConfig = values["base-config"] === undefined ? undefined : readBaseConfig(resolve(io.cwd, values["base-config"]));
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
    if (error instanceof ValidationError) {
      io.stderr.write(`chutes-image ${command}: ${file} has ${error.issues.length} problem${error.issues.length === 1 ? "" : "s"}:\n`);
      for (const issue of error.issues) io.stderr.write(`  ${formatIssue(relativeLocation(issue, io.cwd))}\n`);
      return 1;
    }
    if (error instanceof ChutesError) {
      io.stderr.write(`chutes-image ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The commands main() runs itself, on a definition file. */
function definitionCommand(word: string | undefined): keyof typeof DEFINITION_USAGE | undefined {
  return word === "render" || word === "inspect" ? word : undefined;
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

function relativeLocation(issue: Issue, cwd: string): Issue {
  if (!issue.location) return issue;
  return { ...issue, location: { ...issue.location, file: relative(cwd, issue.location.file) || issue.location.file } };
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
