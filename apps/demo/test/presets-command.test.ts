// `chutes-image presets`, run as a user would (dist/cli.js): the tables as @chutes/presets has them, what
// resolveTorch picks, and the errors for impossible combinations and bad input.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as presets from "@chutes/presets";
import { resolveTorch, torchTable } from "@chutes/presets";
import { afterAll, describe, expect, it } from "vitest";
import { BLOCKS, PRESET_SECTIONS, TEMPLATES } from "../src/presets-command.ts";
import { chutesImage } from "./support/cli.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("chutes-image presets list", () => {
  it("is the default, and shows templates, blocks and every table compactly", async () => {
    const result = await chutesImage(["presets"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = result.stdout;
    for (const heading of ["Templates (@chutes/presets", "Building blocks", "PyTorch (torchTable", "nvidia/cuda images (cudaImageTable", "GPUs (gpuTable", "Tools (toolTable"]) {
      expect(out).toContain(heading);
    }
    expect(out).toMatch(/^ {2}createMultiStageAiImage\(\{ wheels, gpus\? \}\) +devel builder stage/m);
    // One line per torch series: Python range, CUDA builds with PyPI's marked, the releases' pins.
    expect(out).toMatch(/^ {2}2\.7 +3\.9-3\.13 +cu118 cu126\* cu128 cpu +2\.7\.0\/0\.22\.0\/2\.7\.0 {2}2\.7\.1\/0\.22\.1\/2\.7\.1$/m);
    expect(out).toMatch(/^ {2}2\.5 +3\.9-3\.12 \(\+3\.13 exp\.\) +cu118 cu121 cu124\* cpu +2\.5\.0\/0\.20\.0\/2\.5\.0\? {2}2\.5\.1\/0\.20\.1\/2\.5\.1\?$/m);
    // nvidia/cuda tags with their Ubuntu releases, flavors and the driver they need.
    expect(out).toMatch(/^ {2}12\.4 +12\.4\.1 +20\.04 22\.04 +base runtime devel cudnn-runtime cudnn-devel +550\.54\.14$/m);
    expect(out).toMatch(/^ {2}11\.8 +11\.8\.0 +20\.04 22\.04 +base runtime devel cudnn8-runtime cudnn8-devel +520\.61\.05$/m);
    expect(out).toContain("Minor-version compatibility (driverTable): 11.x >= 450.80.02, 12.x >= 525.60.13, 13.x >= 580.65.06");
    expect(out).toMatch(/^ {2}9\.0 +Hopper +>= 11\.8 +H100, H200, GH200$/m);
    expect(out).toContain("ghcr.io/astral-sh/uv:");
    // Compact: every series on one line, no line wider than a wide terminal.
    expect(out.split("\n").filter((line) => /^ {2}2\.\d+ /.test(line))).toHaveLength(torchTable.series.length);
    expect(Math.max(...out.split("\n").map((line) => line.length))).toBeLessThanOrEqual(140);
  });

  it("shows chosen sections, and the tables themselves with --json", async () => {
    const torch = await chutesImage(["presets", "list", "torch"]);
    expect(torch.code).toBe(0);
    expect(torch.stdout).toMatch(/^PyTorch \(torchTable, as of \d{4}-\d\d-\d\d/);
    expect(torch.stdout).not.toContain("nvidia/cuda images");

    const json = await chutesImage(["presets", "list", "--json"]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...PRESET_SECTIONS]);
    expect(parsed.torch).toEqual(JSON.parse(JSON.stringify(presets.torchTable)));
    expect(parsed.cuda).toEqual(JSON.parse(JSON.stringify({ images: presets.cudaImageTable, drivers: presets.driverTable })));
    expect(parsed.gpus).toEqual(JSON.parse(JSON.stringify(presets.gpuTable)));

    const some = JSON.parse((await chutesImage(["presets", "list", "gpus", "tools", "--json"])).stdout) as Record<string, unknown>;
    expect(Object.keys(some)).toEqual(["gpus", "tools"]);
  });

  it("names only templates and blocks that @chutes/presets exports", () => {
    for (const entry of [...TEMPLATES, ...BLOCKS]) {
      expect(typeof (presets as Record<string, unknown>)[entry.name], entry.name).toBe("function");
      expect(entry.call.startsWith(`${entry.name}(`)).toBe(true);
    }
  });
});

describe("chutes-image presets resolve", () => {
  it("prints the exact versions, the wheel index and the CUDA base image", async () => {
    const result = await chutesImage(["presets", "resolve", "torch=2.5", "cuda=12.4", "python=3.12"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Resolved torch=2\.5 cuda=12\.4 python=3\.12:\n/);
    expect(result.stdout).toMatch(/^ {2}torch +2\.5\.1 {2}\(torchvision 0\.20\.1, torchaudio 2\.5\.1\)$/m);
    expect(result.stdout).toMatch(/^ {2}CUDA +12\.4 \(cu124\), flavor base$/m);
    expect(result.stdout).toMatch(/^ {2}python +3\.12 \(uv-managed: Ubuntu 22\.04's python3 is 3\.10\)$/m);
    expect(result.stdout).toMatch(/^ {2}base image +nvidia\/cuda:12\.4\.1-base-ubuntu22\.04$/m);
    expect(result.stdout).toMatch(/^ {2}wheel index +https:\/\/download\.pytorch\.org\/whl\/cu124$/m);
    expect(result.stdout).toMatch(/^ {2}driver +>= 550\.54\.14 \(CUDA 12\.4\); >= 525\.60\.13 with minor-version compatibility$/m);
    expect(result.stdout).toMatch(/^ {2}pip +pip install torch==2\.5\.1 torchvision==0\.20\.1 torchaudio==2\.5\.1 --index-url https:\/\/download\.pytorch\.org\/whl\/cu124$/m);
    expect(result.stdout).toMatch(/^ {2}unconfirmed +pins of torch 2\.5\.1: /m);
  });

  it("takes GPUs (repeated or comma-separated) and gives their arch list; --json is resolveTorch's answer", async () => {
    const result = await chutesImage(["presets", "resolve", "torch=2.7", "gpu=H100,L4", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(resolveTorch({ torch: "2.7", gpus: ["H100", "L4"] }))));
    const text = await chutesImage(["presets", "resolve", "torch=2.7", "gpu=H100", "gpus=L4"]);
    expect(text.stdout).toMatch(/^ {2}GPUs +H100 \(Hopper, 9\.0\), L4 \(Ada, 8\.9\)$/m);
    expect(text.stdout).toMatch(/^ {2}arch list +TORCH_CUDA_ARCH_LIST="8\.9;9\.0"$/m);
  });

  it("prints an image.ts snippet that renders through the CLI", async () => {
    const result = await chutesImage(["presets", "resolve", "torch=2.5", "cuda=12.4", "python=3.12"]);
    const target = /^ {2}image\.ts +(const target = .*;)$/m.exec(result.stdout)?.[1];
    const use = /^ {15}(createBaseAiImage\(target\)\.with\(withTorch\(target\)\)) {2}\/\/ from @chutes\/presets$/m.exec(result.stdout)?.[1];
    expect(target).toBeDefined();
    expect(use).toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), "chutes-presets-"));
    dirs.push(dir);
    await writeFile(
      join(dir, "image.ts"),
      `import { createBaseAiImage, withTorch } from "@chutes/presets";\n${target ?? ""}\nexport const image = ${use ?? ""};\n`,
    );
    const render = await chutesImage(["render", "image.ts"], { cwd: dir });
    expect(render.stderr).toBe("");
    expect(render.code).toBe(0);
    expect(render.stdout).toContain("FROM nvidia/cuda:12.4.1-base-ubuntu22.04 AS ai-base\n");
    expect(render.stdout).toContain("torch==2.5.1");
    expect(render.stdout).toContain("--index-url https://download.pytorch.org/whl/cu124");
  });

  it("exits 1 for an impossible combination, naming the value and what works", async () => {
    const result = await chutesImage(["presets", "resolve", "torch=2.5", "cuda=12.8"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "chutes-image presets resolve: no combination fits torch=2.5 cuda=12.8:\n" +
        "  cuda=12.8: torch 2.5 has no cu128 build; use cu124, cu121 or cu118 [torch-cuda-mismatch]\n",
    );
    const many = await chutesImage(["presets", "resolve", "torch=2.6", "python=3.8", "gpu=B200"]);
    expect(many.code).toBe(1);
    expect(many.stderr).toMatch(/^ {2}python=3\.8: torch 2\.6\.0 supports Python 3\.9 to 3\.13, not 3\.8; use Python 3\.9, .* \[python-unsupported\]$/m);
    expect(many.stderr).toMatch(/^ {2}gpu=B200: .*B200 \(Blackwell, compute capability 10\.0\).* \[gpu-arch-unsupported\]$/m);
    const gpu = await chutesImage(["presets", "resolve", "gpu=Voodoo5"]);
    expect(gpu.code).toBe(1);
    expect(gpu.stderr).toContain('gpu=Voodoo5: unknown GPU "Voodoo5"; give a model ("H100", "L4", "RTX 4090")');
    const flavor = await chutesImage(["presets", "resolve", "flavor=fancy"]);
    expect(flavor.code).toBe(1);
    expect(flavor.stderr).toContain('flavor=fancy: flavor "fancy" is not an nvidia/cuda flavor; use base, runtime, devel, cudnn-runtime or cudnn-devel [invalid-flavor]');
  });

  it("exits 2 on usage errors, naming the word and the fix", async () => {
    const cases: [string[], string][] = [
      [["resolve", "torch", "2.5"], 'chutes-image presets: resolve: "torch" is not one of torch=, cuda=, python=, gpu=, flavor=, ubuntu=; write torch=2.7\n'],
      [["resolve", "pytorch=2.5"], 'chutes-image presets: resolve: "pytorch=2.5" is not one of torch=, cuda=, python=, gpu=, flavor=, ubuntu=; use torch=, cuda=, python=, gpu=, flavor=, ubuntu=\n'],
      [["resolve", "cuda="], "chutes-image presets: resolve: cuda= needs a value, e.g. cuda=12.8\n"],
      [["resolve", "torch=2.5", "torch=2.6"], "chutes-image presets: resolve: torch= is given twice; give it once\n"],
      [["list", "nvidia"], 'chutes-image presets: list: unknown section "nvidia"; use templates, blocks, torch, cuda, gpus, tools\n'],
      [["show"], 'chutes-image presets: unknown presets command "show"; use list or resolve, e.g. chutes-image presets resolve torch=2.7 cuda=12.8\n'],
    ];
    for (const [args, message] of cases) {
      const result = await chutesImage(["presets", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n\n")[0]).toBe(message.trimEnd());
      expect(result.stderr).toContain("Usage: chutes-image presets");
    }
  });
});
