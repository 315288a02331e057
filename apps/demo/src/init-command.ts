// `chutes-image init [dir]`: writes a starter image definition (image.ts), a .dockerignore and the small app the
// image copies, then prints the commands to render, lint and build it. Never overwrites a file without --force.
// Exit codes: 0 written, 1 a file could not be written, 2 usage errors (a file exists, dir is a file).

import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LOCAL_BASE, findRepoRoot } from "./repo.ts";
import { STARTER_BASE, starterFiles, starterName } from "./starter.ts";

export interface InitCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

export const INIT_USAGE = `Usage: chutes-image init [dir] [options]

Writes a starter image into dir (default: the current directory), creating it if needed:
  image.ts        the image definition: ${STARTER_BASE}, a non-root user, the app, port 8000
  .dockerignore   what never goes to the engine
  app/main.py     a small HTTP service the image copies (replace it with yours)
The image is named after the directory. Existing files are left alone unless --force.

Options:
  --force        overwrite files that exist
  -h, --help     show this help

Examples:
  chutes-image init my-app
  chutes-image init . --force
`;

/** Runs `chutes-image init` with the arguments after `init`; resolves to the exit code. */
export function initCommand(args: readonly string[], io: InitCommandIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(INIT_USAGE);
    return 0;
  }
  if (positionals.length > 1) return usage(io, `give at most one directory, got ${positionals.length}: ${positionals.join(" ")}`);
  const given = positionals[0] ?? ".";
  const dir = resolve(io.cwd, given);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    return usage(io, `${given} exists and is not a directory; give a directory, e.g. chutes-image init my-app`);
  }

  const files = starterFiles(starterName(basename(dir))).map((file) => ({ ...file, full: join(dir, file.path) }));
  const shown = (full: string): string => relative(io.cwd, full) || full;
  const existing = files.filter((file) => existsSync(file.full));
  if (existing.length > 0 && !values.force) {
    const names = existing.map((file) => shown(file.full));
    io.stderr.write(
      `chutes-image init: ${names.join(", ")} already exist${names.length === 1 ? "s" : ""}; ` +
        `pass --force to overwrite ${names.length === 1 ? "it" : "them"} (nothing was written)\n`,
    );
    return 2;
  }
  try {
    for (const file of files) {
      mkdirSync(dirname(file.full), { recursive: true });
      writeFileSync(file.full, file.text);
    }
  } catch (error) {
    io.stderr.write(`chutes-image init: cannot write into ${given}: ${(error as Error).message}\n`);
    return 1;
  }

  const image = shown(files[0]?.full ?? join(dir, "image.ts"));
  const name = starterName(basename(dir));
  const lines = [
    `Wrote ${files.map((file) => shown(file.full)).join(", ")}${existing.length > 0 ? ` (overwrote ${existing.map((file) => shown(file.full)).join(", ")})` : ""}`,
    "",
    "Next steps:",
    `  chutes-image render ${image}    # the Dockerfile`,
    `  chutes-image lint ${image}      # best-practice findings, each with a fix`,
    `  chutes-image build ${image} --tag myuser/${name}:0.1.0`,
  ];
  if (findRepoRoot() !== undefined) {
    lines.push(
      "",
      "With this repository's offline engines (bash scripts/engine.sh up), map the base to their local image:",
      `  chutes-image build ${image} --base-map ${STARTER_BASE}=${LOCAL_BASE} --network none \\`,
      `    --engine docker+unix:///run/chutes-image/b/docker.sock`,
    );
  }
  lines.push(
    "",
    "For your editor's types: npm install --save-dev @chutes/image-core (the CLI loads image.ts without it).",
  );
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

function usage(io: InitCommandIo, problem: string): number {
  io.stderr.write(`chutes-image init: ${problem}\n\n${INIT_USAGE}`);
  return 2;
}
