// cudaWheelsRule: never both an `nvidia/cuda` image that carries the CUDA libraries (runtime, cudnn-runtime, devel,
// cudnn-devel) and pip wheels that bring them again (torch, torchvision, torchaudio from a CUDA index or PyPI, or
// nvidia-* packages). A `LintRule` for image-core's `lint()`; until `lint()` accepts extra rules, call
// `cudaWheelsRule.check(image.toJSON())`.

import type { ImageSpec, LintFinding, LintRule, RunStep, Stage } from "@chutes/image-core";
import { parseCudaImage } from "./cuda-image.ts";
import type { CudaImageInfo } from "./cuda-image.ts";

const ID = "cuda-runtime-with-pip-wheels";

/** Packages whose Linux CUDA wheels carry (or depend on pip packages that carry) the CUDA libraries. */
const TORCH_FAMILY: ReadonlySet<string> = new Set(["torch", "torchvision", "torchaudio"]);

/** pip options that take a value as the next word. */
const VALUED: ReadonlySet<string> = new Set([
  ...["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "-f", "--find-links"],
  ...["-i", "--index-url", "--extra-index-url", "--prefix", "--root", "--platform", "--python-version"],
  ...["--implementation", "--abi", "--src", "--upgrade-strategy", "--cache-dir", "--python", "-p"],
]);

const FLAVOR_CONTENT: Readonly<Record<string, string>> = {
  runtime: "the CUDA runtime libraries (cuBLAS, cuFFT, cuSPARSE, NCCL ...)",
  "cudnn-runtime": "the CUDA runtime libraries and cuDNN",
  devel: "the whole CUDA toolkit, runtime libraries included",
  "cudnn-devel": "the whole CUDA toolkit and cuDNN",
};

export const cudaWheelsRule: LintRule = Object.freeze({
  id: ID,
  severity: "warning",
  description:
    "The image is based on an nvidia/cuda runtime/devel image and also pip-installs CUDA wheels (torch, nvidia-*), which bring their own copy of the CUDA libraries.",
  check(spec: ImageSpec): LintFinding[] {
    const chain = finalChain(spec);
    const root = chain[0];
    if (root === undefined) return [];
    const base = root.base;
    if (base === "scratch" || "stage" in base) return [];
    const info = parseCudaImage(base.image);
    if (info === undefined || info.flavor === "base") return [];
    const findings: LintFinding[] = [];
    for (const stage of chain) {
      stage.steps.forEach((step, index) => {
        if (step.kind !== "run") return;
        const wheels = cudaWheels(step);
        if (wheels.length === 0) return;
        findings.push({ rule: ID, severity: "warning", message: message(base.image, info, wheels), fix: fix(info), stage: stage.id, step: index });
      });
    }
    return findings;
  },
});

/** The final stage and the stages it is based on, base first. */
function finalChain(spec: ImageSpec): Stage[] {
  const byId = new Map(spec.stages.map((stage) => [stage.id, stage]));
  const chain: Stage[] = [];
  const seen = new Set<string>();
  for (let stage: Stage | undefined = spec.stages.at(-1); stage !== undefined && !seen.has(stage.id); ) {
    seen.add(stage.id);
    chain.unshift(stage);
    const base: Stage["base"] = stage.base;
    stage = typeof base === "object" && "stage" in base ? byId.get(base.stage) : undefined;
  }
  return chain;
}

function message(image: string, info: CudaImageInfo, wheels: readonly string[]): string {
  const content = FLAVOR_CONTENT[info.flavor] ?? "the CUDA libraries";
  return (
    `The image is based on ${image}, which has ${content}, and this step pip-installs ${wheels.join(", ")}, whose Linux ` +
    `CUDA wheels bring their own copy of those libraries (the nvidia-* packages): the image carries CUDA twice ` +
    `(gigabytes), and which copy a process loads depends on the library search path.`
  );
}

function fix(info: CudaImageInfo): string {
  const base = `nvidia/cuda:${info.version}-base${info.ubuntu === undefined ? "" : `-ubuntu${info.ubuntu}`}`;
  const compile = info.flavor.endsWith("devel")
    ? ` If the image compiles CUDA extensions, compile them in a devel builder stage and copy the wheels into a base-flavor runtime stage (createMultiStageAiImage).`
    : "";
  return `start from the base flavor, which has only the CUDA runtime entry point: .fromBase("${base}"), or .with(cudaBase({ cuda: "${info.cuda}", flavor: "base" })).${compile}`;
}

/** The CUDA wheels a run step pip-installs (empty when none, or when they come from the CPU index). */
function cudaWheels(step: RunStep): string[] {
  const found: string[] = [];
  for (const words of commandsOf(step)) {
    const args = pipInstallArgs(words);
    if (args === undefined) continue;
    let cpuIndex = false;
    const packages: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? "";
      if (arg.startsWith("-")) {
        const [option = "", inline] = arg.split("=", 2);
        const value = inline ?? (VALUED.has(option) ? args[++i] : undefined);
        if (["-i", "--index-url", "--extra-index-url", "-f", "--find-links"].includes(option) && value !== undefined && /\/whl\/cpu\/?$/.test(value)) {
          cpuIndex = true;
        }
        continue;
      }
      packages.push(arg);
    }
    if (cpuIndex) continue;
    for (const spec of packages) {
      if (/\+cpu\b/.test(spec)) continue;
      const name = (/^[A-Za-z0-9._-]+/.exec(spec)?.[0] ?? "").toLowerCase().replace(/_/g, "-");
      if (TORCH_FAMILY.has(name) || name.startsWith("nvidia-")) found.push(name);
    }
  }
  return [...new Set(found)];
}

/** The arguments after `install` of a `pip install`, `pip3.11 install`, `python -m pip install` or `uv pip install`. */
function pipInstallArgs(words: readonly string[]): string[] | undefined {
  let rest = [...words];
  while (rest.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0] ?? "") || rest[0] === "sudo" || rest[0] === "env")) rest = rest.slice(1);
  const program = (rest[0] ?? "").replace(/^.*\//, "");
  if (/^pip[0-9.]*$/.test(program)) rest = rest.slice(1);
  else if (/^python[0-9.]*$/.test(program) && rest[1] === "-m" && rest[2] === "pip") rest = rest.slice(3);
  else if (program === "uv" && rest[1] === "pip") rest = rest.slice(2);
  else return undefined;
  const install = rest.findIndex((word) => !word.startsWith("-"));
  return install !== -1 && rest[install] === "install" ? rest.slice(install + 1) : undefined;
}

/** The commands of a run step, each as words (quotes removed; `&&`, `||`, `;`, `|` and newlines separate). */
function commandsOf(step: RunStep): string[][] {
  const command = step.command;
  if (command.form === "exec") {
    const [program = "", flag = "", script] = command.argv;
    if (/(?:^|\/)(?:ba|da|a)?sh$/.test(program) && flag === "-c" && script !== undefined) return splitShell(script);
    return [[...command.argv]];
  }
  return splitShell(command.form === "shell" ? command.lines.join(" ") : command.script);
}

function splitShell(text: string): string[][] {
  return splitWords(text).flatMap((words) => {
    const [program = "", flag = "", script] = words;
    return /(?:^|\/)(?:ba|da|a)?sh$/.test(program) && flag === "-c" && script !== undefined ? splitShell(script) : [words];
  });
}

function splitWords(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let quoted = false;
  let quote = "";
  const endWord = (): void => {
    if (word !== "" || quoted) words.push(word);
    word = "";
    quoted = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote !== "") {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"' && i + 1 < text.length) word += text.charAt(++i);
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      quoted = true;
    } else if (c === "\\" && i + 1 < text.length) {
      const next = text.charAt(++i);
      if (next !== "\n") word += next;
    } else if (c === " " || c === "\t") {
      endWord();
    } else if (c === "\n" || c === ";" || c === "&" || c === "|" || c === "(" || c === ")") {
      endCommand();
    } else {
      word += c;
    }
  }
  endCommand();
  return commands;
}
