// `chutes-image presets`: what @chutes/presets knows. `presets list [section...]` shows the templates, the building
// blocks and the compatibility tables (torch, nvidia/cuda images with their drivers, GPUs, tools);
// `presets resolve torch=2.5 cuda=12.4 ...` shows what resolveTorch picks. Exit codes: 0 ok, 1 no combination
// fits (each conflict named, with the values that work), 2 usage errors.

import { parseArgs } from "node:util";
import { ValidationError } from "@chutes/image-core";
import type { Issue } from "@chutes/image-core";
import { cudaImageTable, driverTable, gpuTable, resolveTorch, toolTable, torchTable } from "@chutes/presets";
import type { CudaFlavor, CudaImageRow, TorchRequest, TorchResolution, TorchSeries } from "@chutes/presets";

export interface PresetsCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The sections `presets list` can show, in the order it shows them. */
export const PRESET_SECTIONS = ["templates", "blocks", "torch", "cuda", "gpus", "tools"] as const;

type Section = (typeof PRESET_SECTIONS)[number];

/** The keys `presets resolve` takes, as `key=value`. */
const RESOLVE_KEYS = ["torch", "cuda", "python", "gpu", "flavor", "ubuntu"] as const;

type ResolveKey = (typeof RESOLVE_KEYS)[number];

export const PRESETS_USAGE = `Usage: chutes-image presets [list [section...]] [--json]
       chutes-image presets resolve key=value... [--json]

list (the default) shows what @chutes/presets offers: its templates and building blocks, and the tables its
solver uses. Sections: ${PRESET_SECTIONS.join(", ")} (default: all).
  torch   each torch series: Python range, CUDA builds (* = the build PyPI serves), releases with their pins
  cuda    nvidia/cuda tags per CUDA minor and Ubuntu release, the flavors, the minimum driver; Ubuntu's Python
  gpus    architectures, compute capabilities and GPU models

resolve picks one consistent torch / CUDA / Python / base image (resolveTorch) from what you give:
  torch=2.7 | 2.7.1           a series (its newest patch) or a release
  cuda=12.8 | cu128 | cpu     the CUDA build of the wheels
  python=3.12                 default: the Ubuntu release's own python3
  gpu=H100 | Hopper | 9.0     a GPU the wheels must have kernels for (repeatable, or comma-separated)
  flavor=base                 the nvidia/cuda flavor: base (default), runtime, devel, cudnn-runtime, cudnn-devel
  ubuntu=24.04                default: the newest release that fits

Options:
  --json         machine-readable output
  -h, --help     show this help

Examples:
  chutes-image presets
  chutes-image presets list torch cuda
  chutes-image presets resolve torch=2.5 cuda=12.4 python=3.12
  chutes-image presets resolve torch=2.7 gpu=H100,L4 --json

Exit codes: 0 ok, 1 no combination fits (resolve names each conflict and what works), 2 usage.
`;

/** The templates of @chutes/presets: each returns an Image (or adds layers to one). */
export const TEMPLATES: readonly { readonly name: string; readonly call: string; readonly what: string }[] = [
  { name: "createBaseAiImage", call: "createBaseAiImage(options?)", what: "nvidia/cuda base + Python venv, versions resolved and recorded" },
  { name: "createMlImage", call: "createMlImage(image, options?)", what: "+ numpy, pandas, scikit-learn; torch, torchvision pinned for the base" },
  { name: "createNlpImage", call: "createNlpImage(image, options?)", what: "+ transformers, tokenizers, datasets, spacy, nltk; HF cache" },
  { name: "createPytorchImage", call: "createPytorchImage(model, version, options?)", what: "devel image for compiling extensions (flash-attn, xformers)" },
  { name: "createMultiStageAiImage", call: "createMultiStageAiImage({ wheels, gpus? })", what: "devel builder stage for wheels, slim base runtime stage" },
  { name: "createOptimizedImage", call: "createOptimizedImage(options?)", what: "Python app: requirements before code, non-root user" },
  { name: "createMinimalImage", call: "createMinimalImage(options?)", what: "python:3.11-slim with CPU torch wheels" },
];

/** The building blocks: `(image) => image` functions for `image.with(...)`. */
export const BLOCKS: readonly { readonly name: string; readonly call: string; readonly what: string }[] = [
  { name: "cudaBase", call: "cudaBase({ cuda, ubuntu?, flavor? })", what: "fromBase an nvidia/cuda tag from the table" },
  { name: "withPythonVenv", call: "withPythonVenv({ python? })", what: "apt python3 + a venv first on PATH" },
  { name: "withUv", call: "withUv({ python })", what: "uv and a uv-managed CPython (a Python Ubuntu lacks)" },
  { name: "withTorch", call: "withTorch({ torch?, cuda?, gpus? })", what: "exact torch pins from one wheel index, kept as constraints" },
  { name: "withPipCache", call: "withPipCache()", what: "pip / uv cache mounts for later pip steps" },
  { name: "pipInstall", call: "pipInstall(packages, options?)", what: "one quoted, cache-aware pip install" },
  { name: "nonRootUser", call: "nonRootUser({ name?, uid? })", what: "create the user if its uid is free, chown, USER, WORKDIR" },
  { name: "withHfCache", call: "withHfCache({ home? })", what: "HF_HOME and friends, owned by the user" },
];

class UsageError extends Error {}

/** Runs `chutes-image presets` with the arguments after `presets`; resolves to the exit code. */
export function presetsCommand(args: readonly string[], io: PresetsCommandIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(PRESETS_USAGE);
    return 0;
  }
  const [subcommand = "list", ...rest] = positionals;
  try {
    switch (subcommand) {
      case "list": {
        const sections = parseSections(rest);
        io.stdout.write(values.json ? `${JSON.stringify(listJson(sections), null, 2)}\n` : formatList(sections));
        return 0;
      }
      case "resolve": {
        const request = parseRequest(rest);
        let resolution: TorchResolution;
        try {
          resolution = resolveTorch(request.request);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          io.stderr.write(formatConflicts(request.given, error.issues));
          return 1;
        }
        io.stdout.write(values.json ? `${JSON.stringify(resolution, null, 2)}\n` : formatResolution(resolution, request.given));
        return 0;
      }
      default:
        throw new UsageError(`unknown presets command ${JSON.stringify(subcommand)}; use list or resolve, e.g. chutes-image presets resolve torch=2.7 cuda=12.8`);
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
}

function usage(io: PresetsCommandIo, problem: string): number {
  io.stderr.write(`chutes-image presets: ${problem}\n\n${PRESETS_USAGE}`);
  return 2;
}

function parseSections(words: readonly string[]): readonly Section[] {
  if (words.length === 0) return PRESET_SECTIONS;
  return words.map((word) => {
    const section = PRESET_SECTIONS.find((candidate) => candidate === word);
    if (section === undefined) throw new UsageError(`list: unknown section ${JSON.stringify(word)}; use ${PRESET_SECTIONS.join(", ")}`);
    return section;
  });
}

interface ParsedRequest {
  readonly request: TorchRequest;
  /** What was typed, in order, for messages: `torch=2.5 cuda=12.8`. */
  readonly given: readonly (readonly [ResolveKey, string])[];
}

function parseRequest(words: readonly string[]): ParsedRequest {
  const given: [ResolveKey, string][] = [];
  for (const word of words) {
    const equals = word.indexOf("=");
    const key = RESOLVE_KEYS.find((candidate) => candidate === (equals === -1 ? word : word.slice(0, equals)).toLowerCase().replace(/s$/, ""));
    if (equals === -1 || key === undefined) {
      const hint = key !== undefined ? `write ${EXAMPLES[key]}` : equals === -1 ? "write key=value, e.g. torch=2.7" : `use ${RESOLVE_KEYS.map((k) => `${k}=`).join(", ")}`;
      throw new UsageError(`resolve: ${JSON.stringify(word)} is not one of torch=, cuda=, python=, gpu=, flavor=, ubuntu=; ${hint}`);
    }
    const value = word.slice(equals + 1).trim();
    if (value === "") throw new UsageError(`resolve: ${key}= needs a value, e.g. ${EXAMPLES[key]}`);
    if (key !== "gpu" && given.some(([seen]) => seen === key)) throw new UsageError(`resolve: ${key}= is given twice; give it once`);
    given.push([key, value]);
  }
  const value = (key: ResolveKey): string | undefined => given.find(([seen]) => seen === key)?.[1];
  const gpus = given.filter(([key]) => key === "gpu").flatMap(([, text]) => text.split(",").map((gpu) => gpu.trim()).filter((gpu) => gpu !== ""));
  const torch = value("torch");
  const cuda = value("cuda");
  const python = value("python");
  const flavor = value("flavor");
  const ubuntu = value("ubuntu");
  const request: TorchRequest = {
    ...(torch === undefined ? {} : { torch }),
    ...(cuda === undefined ? {} : { cuda }),
    ...(python === undefined ? {} : { python }),
    ...(gpus.length === 0 ? {} : { gpus }),
    // resolveTorch checks the flavor itself and names the valid ones.
    ...(flavor === undefined ? {} : { flavor: flavor as CudaFlavor }),
    ...(ubuntu === undefined ? {} : { ubuntu }),
  };
  return { request, given };
}

const EXAMPLES: Readonly<Record<ResolveKey, string>> = {
  torch: "torch=2.7",
  cuda: "cuda=12.8",
  python: "python=3.12",
  gpu: "gpu=H100",
  flavor: "flavor=base",
  ubuntu: "ubuntu=24.04",
};

const givenText = (given: ParsedRequest["given"]): string => (given.length === 0 ? "the defaults" : given.map(([key, value]) => `${key}=${value}`).join(" "));

function formatConflicts(given: ParsedRequest["given"], issues: readonly Issue[]): string {
  const lines = issues.map((issue) => {
    const first = issue.path[0];
    const field = first === "gpus" ? "gpu" : first === undefined ? "" : String(first);
    const value = Array.isArray(issue.value) ? issue.value.join(",") : typeof issue.value === "string" ? issue.value : JSON.stringify(issue.value);
    return `  ${field === "" ? "" : `${field}=${value}: `}${issue.message} [${issue.code}]`;
  });
  return `chutes-image presets resolve: no combination fits ${givenText(given)}:\n${lines.join("\n")}\n`;
}

function formatResolution(resolution: TorchResolution, given: ParsedRequest["given"]): string {
  const { pins } = resolution;
  const ubuntu = cudaImageTable.ubuntu.find((release) => release.version === resolution.ubuntu);
  const python =
    resolution.pythonSource === "system"
      ? `${resolution.python} (Ubuntu ${resolution.ubuntu}'s python3${ubuntu?.externallyManaged === true ? "; pip needs a venv (PEP 668)" : ""})`
      : `${resolution.python} (uv-managed: Ubuntu ${resolution.ubuntu}'s python3 is ${ubuntu?.python ?? "another version"})`;
  const gpus = resolution.gpus.map((gpu) => `${gpu.name} (${gpu.architecture}, ${gpu.computeCapabilities.join(" ")})`).join(", ");
  const target = [
    `torch: ${JSON.stringify(pins.torch)}`,
    `cuda: ${JSON.stringify(resolution.index)}`,
    `python: ${JSON.stringify(resolution.python)}`,
    ...(resolution.gpus.length === 0 ? [] : [`gpus: [${resolution.gpus.map((gpu) => JSON.stringify(gpu.spec)).join(", ")}]`]),
    ...(resolution.flavor === null || resolution.flavor === "base" ? [] : [`flavor: ${JSON.stringify(resolution.flavor)}`]),
    `ubuntu: ${JSON.stringify(resolution.ubuntu)}`,
  ].join(", ");
  const rows: [string, string][] = [
    ["torch", `${pins.torch}  (torchvision ${pins.torchvision}, torchaudio ${pins.torchaudio})`],
    ["CUDA", resolution.cuda === null ? "none (CPU wheels)" : `${resolution.cuda} (${resolution.index}), flavor ${resolution.flavor ?? ""}`],
    ["python", python],
    ["base image", resolution.baseImage],
    ["wheel index", resolution.wheelIndex],
    ...(gpus === "" ? [] : [["GPUs", gpus] as [string, string]]),
    ...(resolution.archList === null
      ? []
      : [["arch list", `TORCH_CUDA_ARCH_LIST="${resolution.archList}"${resolution.gpus.length === 0 ? " (the build's own list)" : ""}`] as [string, string]]),
    ...(resolution.minDriver === null
      ? []
      : [
          [
            "driver",
            `>= ${resolution.minDriver} (CUDA ${resolution.cuda ?? ""})${resolution.minDriverMinorCompat === null ? "" : `; >= ${resolution.minDriverMinorCompat} with minor-version compatibility`}`,
          ] as [string, string],
        ]),
    ["pip", `pip install torch==${pins.torch} torchvision==${pins.torchvision} torchaudio==${pins.torchaudio} --index-url ${resolution.wheelIndex}`],
    ["image.ts", `const target = { ${target} };`],
    ["", "createBaseAiImage(target).with(withTorch(target))  // from @chutes/presets"],
  ];
  for (const fact of resolution.unconfirmed) rows.push(["unconfirmed", fact]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return `Resolved ${givenText(given)}:\n${rows.map(([label, text]) => `  ${label.padEnd(width)}${text}`).join("\n")}\n`;
}

// ------------------------------------------------------------------------------------------------ presets list

function listJson(sections: readonly Section[]): Record<string, unknown> {
  const all: Record<Section, unknown> = {
    templates: TEMPLATES,
    blocks: BLOCKS,
    torch: torchTable,
    cuda: { images: cudaImageTable, drivers: driverTable },
    gpus: gpuTable,
    tools: toolTable,
  };
  return Object.fromEntries(sections.map((section) => [section, all[section]]));
}

function formatList(sections: readonly Section[]): string {
  const parts: Record<Section, () => string[]> = {
    templates: () => [
      "Templates (@chutes/presets; each returns an Image):",
      ...table(TEMPLATES.map((template) => [template.call, template.what])),
    ],
    blocks: () => ["Building blocks (for image.with(...)):", ...table(BLOCKS.map((block) => [block.call, block.what]))],
    torch: () => [
      `PyTorch (torchTable, as of ${torchTable.asOf}; * = the build PyPI serves, ? = unconfirmed pins):`,
      ...table([
        ["series", "python", "CUDA builds", "releases (torch/torchvision/torchaudio)"],
        ...[...torchTable.series].reverse().map((series) => [series.series, pythonRange(series), builds(series), releases(series)]),
      ]),
    ],
    cuda: () => [
      `nvidia/cuda images (cudaImageTable, as of ${cudaImageTable.asOf}): nvidia/cuda:<tag>-<flavor>-ubuntu<release>`,
      ...table([["CUDA", "tag", "ubuntu", "flavors", "min driver"], ...cudaRows()]),
      `  Minor-version compatibility (driverTable): ${driverTable.majors.map((major) => `${major.major}.x >= ${major.linux}`).join(", ")}`,
      `  Ubuntu: ${cudaImageTable.ubuntu
        .map((release) => `${release.version} ${release.codename} (python3 ${release.python}${release.externallyManaged ? ", pip needs a venv" : ""})`)
        .join(", ")}`,
    ],
    gpus: () => [
      `GPUs (gpuTable, as of ${gpuTable.asOf}): compute capability, architecture, the CUDA that compiles for it, models`,
      ...table([["cc", "architecture", "CUDA", "models"], ...gpuRows()]),
    ],
    tools: () => [`Tools (toolTable, as of ${toolTable.asOf}):`, `  uv      ${toolTable.uv.image}:${toolTable.uv.tag} (withUv)`],
  };
  return `${sections.map((section) => parts[section]().join("\n")).join("\n\n")}\n`;
}

/** Rows as columns, two spaces apart, indented by two; the last column is not padded. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd());
}

function pythonRange(series: TorchSeries): string {
  const first = series.python[0] ?? "";
  const last = series.python.at(-1) ?? "";
  const range = first === last ? first : `${first}-${last}`;
  return series.pythonExperimental.length === 0 ? range : `${range} (+${series.pythonExperimental.join(" ")} exp.)`;
}

function builds(series: TorchSeries): string {
  return series.builds.map((build) => `${build.index}${build.index === series.pypiDefault ? "*" : ""}`).join(" ");
}

function releases(series: TorchSeries): string {
  return series.releases
    .map((release) => `${release.torch}/${release.torchvision}/${release.torchaudio}${release.confidence === "confirmed" ? "" : "?"}`)
    .join("  ");
}

function cudaRows(): string[][] {
  const groups: { row: CudaImageRow; ubuntus: string[] }[] = [];
  for (const row of cudaImageTable.images) {
    const group = groups.find((candidate) => candidate.row.tag === row.tag && candidate.row.flavors.join() === row.flavors.join());
    if (group === undefined) groups.push({ row, ubuntus: [row.ubuntu] });
    else group.ubuntus.push(row.ubuntu);
  }
  // Newest CUDA first; within one CUDA minor, the table's order (the newest update release first).
  const ordered = groups
    .map((group, index) => ({ ...group, index }))
    .sort((a, b) => b.row.cuda.localeCompare(a.row.cuda, undefined, { numeric: true }) || a.index - b.index);
  const rows: string[][] = [];
  let previous = "";
  for (const { row, ubuntus } of ordered) {
    const driver = driverTable.toolkits.find((toolkit) => toolkit.cuda === row.cuda)?.linux ?? "?";
    const flavors = row.flavors.map((flavor) => (flavor.startsWith("cudnn") ? flavor.replace("cudnn", row.cudnnInfix ?? "cudnn") : flavor)).join(" ");
    const first = row.cuda !== previous;
    rows.push([first ? row.cuda : "", row.tag, ubuntus.join(" "), `${flavors}${row.listed === "unsupported" ? " (no updates)" : ""}`, first ? driver : ""]);
    previous = row.cuda;
  }
  return rows;
}

function gpuRows(): string[][] {
  const rows: string[][] = [];
  for (const arch of [...gpuTable.architectures].reverse()) {
    for (const cc of [...arch.computeCapabilities].reverse()) {
      const floor = arch.minCuda[cc];
      const cuda = [floor === undefined ? "" : `>= ${floor}`, arch.lastCudaMajor === undefined ? "" : `<= ${arch.lastCudaMajor}.x`].filter((text) => text !== "").join(" ");
      const names = gpuTable.models
        .filter((model) => model.computeCapability === cc)
        .map((model) => `${model.names.slice(0, 3).join(", ")}${model.names.length > 3 ? ", ..." : ""}`);
      rows.push([cc, arch.name, cuda === "" ? "any" : cuda, names.join("; ")]);
    }
  }
  return rows;
}
