// Command dispatch for `chutes-image`. Exit codes: 0 ok, 1 the definition has problems (or lint errors),
// 2 usage errors; `build` adds 3 (the build failed), 4 (no engine) and 130 (interrupted).

import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ChutesError, ValidationError, evaluate, formatIssue, imageUid, lint, specDigest } from "@chutes/image-core";
import type { BaseImageConfig, ImageConfig, Issue, LintFinding } from "@chutes/image-core";
import { renderDockerfile } from "@chutes/dockerfile";
import { contextCommand } from "./context-command.ts";
import { loadImage } from "./load.ts";

/** Where the CLI writes, and the directory paths are relative to. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  /** Also where `build` shows progress: a terminal (`isTTY`) gets the redrawing view. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
  readonly cwd: string;
  /** `build --secret id=X,env=VAR` reads it (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Cancels a running `build` (the executable wires SIGINT to it). */
  readonly signal?: AbortSignal;
}

const USAGE = `Usage: chutes-image <command> <file.ts> [options]

Commands:
  render <file.ts>    print the Dockerfile of the image the file exports
  inspect <file.ts>   print the image config (Env, Entrypoint, Cmd, WorkingDir, User, Labels, ...)
  lint <file.ts>      check the definition against the best practices
  build <file.ts>     build the image on a BuildKit engine (chutes-image build --help for its options)
  context <dir>       the build context Docker would get: summary, --list, --explain, --digest, --tar
                      (chutes-image context --help for its options)

The file exports an Image as \`image\` or as its default export.

Options:
  --export <name>        take the image from this export instead
  --json                 inspect, lint: machine-readable output
  --syntax <ref>         render: add a "# syntax=<ref>" line (enables heredocs for runScript)
  --base-config <file>   inspect: JSON image config of the base image (its Env, WorkingDir, ...)
  -h, --help             show this help
`;

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === "context") return contextCommand(argv.slice(1), io);
  // Loaded on demand: the BuildKit client (gRPC, protobuf) would slow every other command's start.
  if (argv[0] === "build") return (await import("./build-command.ts")).buildCommand(argv.slice(1), io);
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
    io.stderr.write(`chutes-image: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.stdout : io.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  if (!["render", "inspect", "lint"].includes(command)) {
    io.stderr.write(`chutes-image: unknown command "${command}"; use render, inspect, lint, context or build\n\n${USAGE}`);
    return 2;
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
    switch (command) {
      case "render":
        io.stdout.write(renderDockerfile(spec, values.syntax === undefined ? {} : { syntax: values.syntax }));
        return 0;
      case "inspect": {
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
      }
      default: {
        const findings = lint(spec);
        if (values.json) io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
        else io.stdout.write(formatFindings(findings));
        return findings.some((finding) => finding.severity === "error") ? 1 : 0;
      }
    }
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

function formatFindings(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return "No findings.\n";
  const lines = findings.map((finding) => {
    const where = finding.stage === undefined ? "" : ` (stage ${finding.stage}${finding.step === undefined ? "" : `, step ${finding.step}`})`;
    return `${finding.severity.padEnd(7)} ${finding.rule}${where}: ${finding.message}\n        fix: ${finding.fix}`;
  });
  const count = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
  return `${lines.join("\n")}\n\n${count("error")} errors, ${count("warning")} warnings, ${count("info")} infos\n`;
}
