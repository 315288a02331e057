// Command dispatch for `chutes-image`. Exit codes: 0 ok, 1 the definition has problems (or lint errors),
// 2 usage errors; `build` adds 3 (the build failed), 4 (no engine) and 130 (interrupted); `engine` uses 4 too.

import { parseArgs } from "node:util";
import { COMMANDS, COMMAND_LIST, DEFINITION_USAGE, USAGE } from "./help.ts";

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
  // Every command's module is loaded on demand: help and usage errors load none, and no command loads another's
  // (the BuildKit client, the presets' tables, the definition loader).
  if (argv[0] === "context") return (await import("./context-command.ts")).contextCommand(argv.slice(1), io);
  if (argv[0] === "init") return (await import("./init-command.ts")).initCommand(argv.slice(1), io);
  if (argv[0] === "lint") return (await import("./lint-command.ts")).lintCommand(argv.slice(1), io);
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
    const command = definitionCommandOf(argv[0]);
    const name = command === undefined ? "chutes-image" : `chutes-image ${command}`;
    io.stderr.write(`${name}: ${(error as Error).message}\n\n${command === undefined ? USAGE : DEFINITION_USAGE[command]}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  const definition = definitionCommandOf(command);
  if (definition === undefined) {
    if (command === undefined) {
      (values.help ? io.stdout : io.stderr).write(USAGE);
      return values.help ? 0 : 2;
    }
    if (!COMMANDS.some((name) => name === command)) {
      io.stderr.write(`chutes-image: unknown command "${command}"; use ${COMMAND_LIST}\n\n${USAGE}`);
      return 2;
    }
    // A command after an option (`chutes-image --help build`): its own help, or where its options go.
    if (values.help) return main([command, "--help"], io);
    io.stderr.write(`chutes-image: put the command first, e.g. ${["chutes-image", command, ...positionals.slice(1), "<options>"].join(" ")}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(DEFINITION_USAGE[definition]);
    return 0;
  }
  if (file === undefined || extra.length > 0) {
    io.stderr.write(`chutes-image ${command}: give exactly one definition file, e.g. chutes-image ${command} image.ts\n`);
    return 2;
  }

  const options = {
    json: values.json,
    ...(values.export === undefined ? {} : { export: values.export }),
    ...(values.syntax === undefined ? {} : { syntax: values.syntax }),
    ...(values["base-config"] === undefined ? {} : { baseConfig: values["base-config"] }),
  };
  return (await import("./definition-command.ts")).runDefinitionCommand(definition, file, options, io);
}

/** The commands main() runs itself, on a definition file. */
function definitionCommandOf(word: string | undefined): keyof typeof DEFINITION_USAGE | undefined {
  return word === "render" || word === "inspect" ? word : undefined;
}
