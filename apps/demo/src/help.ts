// The top-level help and the help of the definition commands (render, inspect, lint). The other commands keep
// their help next to their options (build-command.ts, context-command.ts, init-, presets-, engine-command.ts).

/** Every command, in the order the help lists them. */
export const COMMANDS = ["init", "render", "inspect", "lint", "context", "build", "presets", "engine"] as const;

export type CommandName = (typeof COMMANDS)[number];

/** `init, render, ... or engine`, for messages. */
export const COMMAND_LIST = `${COMMANDS.slice(0, -1).join(", ")} or ${COMMANDS.at(-1) ?? ""}`;

export const USAGE = `Usage: chutes-image <command> [arguments] [options]

Container images as typed TypeScript, rendered to a Dockerfile or built on BuildKit.

Commands:
  init [dir]            write a starter image.ts, .dockerignore and app/ into dir (default: .)
  render <file.ts>      print the Dockerfile of the image the file exports
  inspect <file.ts>     print the image config (Env, Entrypoint, Cmd, WorkingDir, User, Labels, ...)
  lint <file.ts>        check the definition against the best practices (--fix applies the rules' rewrites and prints the fixed Dockerfile)
  context <dir>         the build context Docker would get: summary, --list, --explain, --digest, --tar
  build <file.ts>       build the image on a BuildKit engine
  presets [list]        the CUDA / PyTorch templates and compatibility tables (torch, nvidia/cuda, drivers, GPUs)
  presets resolve ...   the exact versions, wheel index and base image for torch=, cuda=, python=, gpu=
  engine status         the BuildKit engine the CLI uses, and whether it answers; engine up|down [a|b|all]

Examples:
  chutes-image init my-app
  chutes-image render examples/demo/image.ts
  chutes-image inspect examples/demo/image.ts --json
  chutes-image lint examples/demo/image.ts
  chutes-image context examples/demo --image examples/demo/image.ts
  chutes-image build examples/demo/image.ts --tag chutes-demo/hello-inference:0.1.0 --network host
  chutes-image presets resolve torch=2.5 cuda=12.4 python=3.12
  chutes-image engine status

chutes-image <command> --help shows a command's options and more examples. A definition file exports an
Image as \`image\` or as its default export.

Exit codes: 0 ok, 1 the definition has problems (lint: errors), 2 usage, 3 the build failed, 4 no engine,
130 interrupted.
Environment: DOCKER_HOST, BUILDKIT_HOST (the engine); NO_COLOR (no colour, always), FORCE_COLOR (colour even
when not a terminal).
`;

const EXPORT_OPTION = "  --export <name>        take the image from this export instead of `image` or the default export";

/** Help of the commands main.ts runs itself. */
export const DEFINITION_USAGE: Readonly<Record<"render" | "inspect", string>> = {
  render: `Usage: chutes-image render <file.ts> [options]

Prints the Dockerfile of the image the file exports (deterministic: the same definition gives the same bytes).

Options:
  --syntax <ref>         add a "# syntax=<ref>" line (enables heredocs for runScript)
${EXPORT_OPTION}
  -h, --help             show this help

Examples:
  chutes-image render examples/demo/image.ts
  chutes-image render examples/demo/image.ts > Dockerfile
  chutes-image render image.ts --syntax docker/dockerfile:1

Exit codes: 0 ok, 1 the definition has problems (each listed with its file and line), 2 usage.
`,
  inspect: `Usage: chutes-image inspect <file.ts> [options]

Prints the config the image will have: Env, Entrypoint, Cmd, WorkingDir, User, ExposedPorts, Labels, ...

Options:
  --json                 machine-readable: ref, uid, digest, readme and the config
  --base-config <file>   JSON config of the base image (docker inspect output, an OCI config or a bare config),
                         so its Env, WorkingDir and User are taken into account
${EXPORT_OPTION}
  -h, --help             show this help

Examples:
  chutes-image inspect examples/demo/image.ts
  chutes-image inspect examples/demo/image.ts --json
  docker image inspect python:3.12-slim > base.json && chutes-image inspect image.ts --base-config base.json

Exit codes: 0 ok, 1 the definition has problems, 2 usage.
`,
};
