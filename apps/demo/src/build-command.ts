// `chutes-image build <file.ts>`: builds the image with @chutes/buildkit's build(): marshaled to LLB by default,
// or rendered with @chutes/dockerfile for BuildKit's Dockerfile frontend (--frontend dockerfile), with live progress. Exit codes: 0 built, 1 the definition or
// its context has problems, 2 usage errors, 3 the build failed, 4 no engine answered, 130 interrupted.

import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BuildKitError, build, createProgressRenderer } from "@chutes/buildkit";
import type { BuildNetwork, BuildResult, ExporterOption, ProgressEvent, ProgressMode, ProgressOutput, ProgressRenderer } from "@chutes/buildkit";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image, ValidationError } from "@chutes/image-core";
import { canonicalReference, mapBases, parseBaseMapping } from "./base-map.ts";
import { colourEnabled } from "./colour.ts";
import type { BaseMapping } from "./base-map.ts";
import { loadImage } from "./load.ts";
import type { LoadedImage } from "./load.ts";
import { reportDefinitionError } from "./report.ts";

/** Where the command writes; progress goes to stderr (a terminal there gets the TTY view, coloured unless NO_COLOR). */
export interface BuildCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressOutput;
  readonly cwd: string;
  /** Environment for `--secret id=X,env=VAR` (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Cancels the build (the CLI wires SIGINT to it). */
  readonly signal?: AbortSignal;
}

export const BUILD_USAGE = `Usage: chutes-image build <file.ts> [options]

Builds the image the file exports on a BuildKit engine, directly as LLB (default) or through BuildKit's
Dockerfile frontend. Only what its add/copy steps reference is sent (.dockerignore applied).

Options:
  -t, --tag <name>             name the image, e.g. me/app:1.0 (repeatable; needs --output type=moby)
  --frontend <name>            llb (default: the IR marshaled to LLB) or dockerfile (the rendered Dockerfile)
  --engine <address>           docker+unix:///var/run/docker.sock, tcp://host:2375, buildkitd+unix://...
                               (default: BUILDKIT_HOST, then DOCKER_HOST, then the default sockets)
  --progress <mode>            auto (default: tty when stderr is a terminal, else plain), tty, plain, json;
                               tty is coloured unless NO_COLOR is set
  --output <spec>              type=moby (default: the engine's image store), type=local,dest=DIR,
                               type=tar,dest=FILE
  --network <mode>             default (the engine's, default), host, none. Engines run with --bridge=none
                               (this project's) need host or none for RUN steps
  --secret <spec>              id=ID,src=FILE or id=ID,env=VAR for RUN --mount=type=secret (repeatable)
  --build-arg <K=V>            a value for an ARG step (repeatable)
  --no-cache                   build every step again
  --platform <os/arch>         target platform, e.g. linux/amd64
  --context <dir>              the build context (default: the definition file's directory)
  --base-map <FROM=TO>         build with base image TO where the image says FROM (repeatable), e.g.
                               python:3.11-slim=local/debian:bookworm-minbase; each mapping applied is reported
  --export <name>              take the image from this export instead of \`image\` or the default export
  -h, --help                   show this help

Examples:
  chutes-image build examples/demo/image.ts --tag chutes-demo/hello-inference:0.1.0 --network host
  chutes-image build image.ts --output type=tar,dest=image.tar --progress plain
  chutes-image build image.ts --base-map python:3.12-slim=local/debian:bookworm-minbase --network none
  chutes-image build image.ts --secret id=hf_token,env=HF_TOKEN --build-arg VERSION=1.2

Exit codes: 0 built, 1 the definition or its context has problems, 2 usage, 3 the build failed,
4 no engine reachable, 130 interrupted.
`;

const ENGINE_HINT = "start this project's engines with `bash scripts/engine.sh up` (or pass --engine, or set DOCKER_HOST)";

class UsageError extends Error {}

/** Runs `chutes-image build` with the arguments after `build`; resolves to the exit code. */
export async function buildCommand(args: readonly string[], io: BuildCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        tag: { type: "string", short: "t", multiple: true, default: [] },
        engine: { type: "string" },
        frontend: { type: "string", default: "llb" },
        progress: { type: "string", default: "auto" },
        output: { type: "string", default: "type=moby" },
        network: { type: "string", default: "default" },
        secret: { type: "string", multiple: true, default: [] },
        "build-arg": { type: "string", multiple: true, default: [] },
        "no-cache": { type: "boolean", default: false },
        platform: { type: "string" },
        context: { type: "string" },
        "base-map": { type: "string", multiple: true, default: [] },
        export: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(BUILD_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length !== 1) {
    return usage(io, file === undefined ? "give the definition file, e.g. chutes-image build image.ts" : `give exactly one definition file, got ${positionals.length}`);
  }

  let progress: "auto" | "tty" | "plain" | "json";
  let frontend: "llb" | "dockerfile";
  let network: BuildNetwork;
  let exporter: ExporterOption;
  let secrets: Record<string, Uint8Array>;
  let buildArgs: Record<string, string>;
  let mappings: BaseMapping[];
  try {
    progress = oneOf("--progress", values.progress, ["auto", "tty", "plain", "json"] as const);
    frontend = oneOf("--frontend", values.frontend, ["llb", "dockerfile"] as const);
    network = oneOf("--network", values.network, ["default", "host", "none"] as const);
    exporter = parseOutput(values.output, io.cwd);
    secrets = parseSecrets(values.secret, io);
    buildArgs = parseBuildArgs(values["build-arg"]);
    mappings = values["base-map"].map((text) => {
      try {
        return parseBaseMapping(text);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    });
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
  if (values.tag.length > 0 && exporter.type !== "moby") {
    return usage(io, `--tag names an image in the engine's store; it cannot go with --output type=${exporter.type}`);
  }

  const contextDir = resolve(io.cwd, values.context ?? dirname(resolve(io.cwd, file)));
  const sink = progressSink(progress, io.stderr, colourEnabled(io.stderr, io.env ?? process.env));
  try {
    const loaded = await loadImage(file, { cwd: io.cwd, ...(values.export === undefined ? {} : { exportName: values.export }) });
    const issues = loaded.validate();
    if (issues.length > 0) throw new ValidationError(issues);
    const image = applyBaseMap(loaded, mappings, io);
    const result = await build(image, {
      contextDir,
      frontend,
      ...(frontend === "dockerfile" ? { dockerfile: renderDockerfile(image) } : {}),
      ...(values.engine === undefined ? {} : { engine: values.engine }),
      tags: values.tag,
      exporter,
      progress: (event) => {
        sink.handle(event);
      },
      network,
      ...(Object.keys(secrets).length === 0 ? {} : { secrets }),
      ...(Object.keys(buildArgs).length === 0 ? {} : { buildArgs }),
      noCache: values["no-cache"],
      ...(values.platform === undefined ? {} : { platform: values.platform }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
    sink.end();
    for (const warning of result.contextWarnings) io.stderr.write(`note: context: ${warning.code}: ${warning.message}\n`);
    io.stdout.write(summary(result, exporter, io.cwd));
    return 0;
  } catch (error) {
    sink.end();
    return failure(error, file, io);
  }
}

/**
 * The progress renderer for the mode, with colour as the CLI decides it (NO_COLOR, FORCE_COLOR, a terminal).
 * Made at the first event, so a build that fails before solving draws no empty frame; `build()` delivers every
 * event before it settles, and `end` then writes the last frame and the failure summary.
 */
function progressSink(mode: ProgressMode, output: ProgressOutput, color: boolean): { handle(event: ProgressEvent): void; end(): void } {
  let renderer: ProgressRenderer | undefined;
  return {
    handle: (event) => {
      renderer ??= createProgressRenderer(mode, output, { color });
      renderer.handle(event);
    },
    end: () => {
      renderer?.end();
      renderer = undefined;
    },
  };
}

function applyBaseMap(loaded: LoadedImage, mappings: readonly BaseMapping[], io: BuildCommandIo): LoadedImage {
  if (mappings.length === 0) return loaded;
  const { spec, applied } = mapBases(loaded.toJSON(), mappings);
  for (const { stage, from, to } of applied) io.stderr.write(`note: --base-map: stage ${stage} is built FROM ${to} instead of ${from}\n`);
  for (const mapping of mappings) {
    if (!applied.some((entry) => canonicalReference(entry.from) === canonicalReference(mapping.from))) {
      io.stderr.write(`note: --base-map ${mapping.from}=${mapping.to} matched no base image of this definition\n`);
    }
  }
  return applied.length === 0 ? loaded : Image.fromJSON(spec);
}

function summary(result: BuildResult, exporter: ExporterOption, cwd: string): string {
  const context = result.counters.byDir.context;
  const sent = context === undefined ? "" : ` (context: ${context.filesSent} file${context.filesSent === 1 ? "" : "s"}, ${context.bytesSent} bytes sent)`;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const lines: string[] = [];
  switch (exporter.type) {
    case "moby":
      lines.push(`Built ${result.imageId ?? result.digest} in ${seconds}s${sent}`);
      for (const tag of result.tags) lines.push(`Tagged ${tag}`);
      break;
    case "local":
      lines.push(`Built in ${seconds}s${sent}; files written to ${relative(cwd, exporter.dir) || "."}`);
      break;
    case "tar":
      lines.push(`Built in ${seconds}s${sent}; tar written to ${relative(cwd, exporter.file)}`);
      break;
  }
  return `${lines.join("\n")}\n`;
}

function failure(error: unknown, file: string, io: BuildCommandIo): number {
  if (error instanceof BuildKitError) {
    switch (error.code) {
      case "engine-unreachable":
      case "upgrade-failed":
        io.stderr.write(`chutes-image build: no engine: ${error.message}\n  hint: ${ENGINE_HINT}\n`);
        return 4;
      case "invalid-address":
      case "invalid-option":
        return usage(io, error.message);
      case "aborted":
        io.stderr.write("chutes-image build: interrupted; the build was cancelled on the engine\n");
        return 130;
      default:
        io.stderr.write(`chutes-image build: ${error.step === undefined ? "" : "failed at "}${error.message}\n`);
        return 3;
    }
  }
  const code = reportDefinitionError("build", file, error, io);
  if (code === undefined) throw error;
  return code;
}

function usage(io: BuildCommandIo, problem: string): number {
  io.stderr.write(`chutes-image build: ${problem}\n\n${BUILD_USAGE}`);
  return 2;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new UsageError(`${option} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
  return found;
}

/** `type=moby`, `type=local,dest=DIR`, `type=tar,dest=FILE` (BuildKit's --output syntax). */
export function parseOutput(text: string, cwd: string): ExporterOption {
  const fields = keyValues("--output", text);
  const type = fields.get("type");
  const dest = fields.get("dest");
  const unknown = [...fields.keys()].filter((key) => key !== "type" && key !== "dest");
  if (unknown.length > 0) throw new UsageError(`--output ${JSON.stringify(text)}: unknown field ${unknown.join(", ")}; use type= and dest=`);
  switch (type) {
    case "moby":
      if (dest !== undefined) throw new UsageError("--output type=moby takes no dest: the image goes to the engine's store");
      return { type: "moby" };
    case "local":
    case "tar":
      if (dest === undefined || dest === "") throw new UsageError(`--output type=${type} needs dest=, e.g. --output type=${type},dest=${type === "local" ? "out" : "image.tar"}`);
      return type === "local" ? { type, dir: resolve(cwd, dest) } : { type, file: resolve(cwd, dest) };
    default:
      throw new UsageError(`--output ${JSON.stringify(text)}: type must be moby, local or tar`);
  }
}

/** `id=ID,src=FILE` or `id=ID,env=VAR` (docker build's --secret syntax; `source=` is accepted for `src=`). */
export function parseSecrets(specs: readonly string[], io: Pick<BuildCommandIo, "cwd" | "env">): Record<string, Uint8Array> {
  const secrets: Record<string, Uint8Array> = {};
  for (const text of specs) {
    const fields = keyValues("--secret", text);
    const id = fields.get("id");
    const src = fields.get("src") ?? fields.get("source");
    const env = fields.get("env");
    if (id === undefined || id === "") throw new UsageError(`--secret ${JSON.stringify(text)}: give id=ID`);
    if ((src === undefined) === (env === undefined)) throw new UsageError(`--secret id=${id}: give exactly one of src=FILE or env=VAR`);
    if (src !== undefined) {
      try {
        secrets[id] = readFileSync(resolve(io.cwd, src));
      } catch (error) {
        throw new UsageError(`--secret id=${id}: cannot read ${src}: ${(error as Error).message}`);
      }
    } else if (env !== undefined) {
      const value = (io.env ?? process.env)[env];
      if (value === undefined) throw new UsageError(`--secret id=${id}: the environment variable ${env} is not set`);
      secrets[id] = Buffer.from(value, "utf8");
    }
  }
  return secrets;
}

function parseBuildArgs(specs: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const text of specs) {
    const equals = text.indexOf("=");
    if (equals <= 0) throw new UsageError(`--build-arg ${JSON.stringify(text)}: write KEY=VALUE`);
    args[text.slice(0, equals)] = text.slice(equals + 1);
  }
  return args;
}

function keyValues(option: string, text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(",")) {
    const equals = part.indexOf("=");
    if (equals <= 0) throw new UsageError(`${option} ${JSON.stringify(text)}: ${JSON.stringify(part)} is not key=value`);
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1));
  }
  return fields;
}
