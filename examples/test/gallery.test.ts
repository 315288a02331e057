// The gallery (../gallery/<example>/): every exported Image is valid, renders to its reviewed golden Dockerfile
// (golden/gallery/<example>/<export>.Dockerfile) the same bytes every time, and each example's `image` lints clean
// (with @chutes/presets' cudaWheelsRule as an extra rule) and has the config the example promises, by `inspect()`.
// Regenerate the goldens with `pnpm --filter @chutes/examples golden`, then review the diff. The builds are in
// gallery-build.integration.test.ts (python-service and custom-preset; node-service and pytorch-inference are
// render-only here: their builds need the npm registry, nvidia/cuda and download.pytorch.org).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image, ValidationError, lint } from "@chutes/image-core";
import type { RunStep, Stage, Step } from "@chutes/image-core";
import { appliedPresets, checkPresets, cudaWheelsRule, presetConflicts, resolveTorch, withPipCache } from "@chutes/presets";
import { describe, expect, it } from "vitest";
import * as customPreset from "../gallery/custom-preset/company.ts";
import { conflicts, doubleUser, presets } from "../gallery/custom-preset/image.ts";
import { MODEL_ID, createInferenceImage, target } from "../gallery/pytorch-inference/image.ts";
import { galleryExamples, galleryImage, galleryImages } from "./gallery-modules.ts";
import { byCodeUnit } from "./seed-modules.ts";
import { BUILT_HERE } from "./support/gallery-offline.ts";

const EXAMPLES = ["custom-preset", "node-service", "python-service", "pytorch-inference"];
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const examplesDir = fileURLToPath(new URL("../", import.meta.url));

function stageOf(image: Image, id: string): Stage {
  const stage = image.toJSON().stages.find((s) => s.id === id);
  if (stage === undefined) throw new Error(`no stage ${id}`);
  return stage;
}

function runLines(step: Step | undefined): string {
  if (step?.kind !== "run") return "";
  return step.command.form === "shell" ? step.command.lines.join(" ") : step.command.form === "exec" ? step.command.argv.join(" ") : step.command.script;
}

function runSteps(stage: Stage): RunStep[] {
  return stage.steps.filter((step): step is RunStep => step.kind === "run");
}

describe("the gallery", () => {
  it("has the four examples, each with a README.md, a .dockerignore and an `image` export (what the CLI loads)", () => {
    expect(galleryExamples.map((example) => example.name)).toEqual(EXAMPLES);
    for (const example of galleryExamples) {
      expect(Image.isImage(example.exports.image), `${example.name}/image.ts exports an Image as image`).toBe(true);
      expect(existsSync(join(examplesDir, "gallery", example.name, "README.md")), `${example.name}/README.md`).toBe(true);
      expect(existsSync(join(examplesDir, "gallery", example.name, ".dockerignore")), `${example.name}/.dockerignore`).toBe(true);
    }
  });

  it("golden/gallery holds a Dockerfile for each exported Image and nothing else", () => {
    const root = join(examplesDir, "golden", "gallery");
    const onDisk = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
      .sort(byCodeUnit);
    expect(onDisk).toEqual([
      "custom-preset/doubleUser.Dockerfile",
      "custom-preset/image.Dockerfile",
      "node-service/build.Dockerfile",
      "node-service/image.Dockerfile",
      "python-service/builder.Dockerfile",
      "python-service/image.Dockerfile",
      "pytorch-inference/image.Dockerfile",
    ]);
    expect(galleryImages.map(({ golden }) => golden.slice("golden/gallery/".length)).sort(byCodeUnit)).toEqual(onDisk);
  });

  it("README.md's gallery table has one row per example, saying which are built here", () => {
    const text = readFileSync(join(examplesDir, "README.md"), "utf8");
    const rows = [...text.matchAll(/^\| \[`([a-z-]+)\/`\]\(gallery\/\1\/\) \|.*\| (built here[^|]*|render-only[^|]*) \|$/gm)];
    expect(rows.map((row) => row[1] ?? "").sort(byCodeUnit)).toEqual(EXAMPLES);
    const built = rows.filter((row) => row[2]?.startsWith("built here")).map((row) => row[1] ?? "");
    expect(built.sort(byCodeUnit)).toEqual([...BUILT_HERE]);
  });
});

describe.each(galleryImages.map((entry) => [`${entry.example}/${entry.name}`, entry] as const))("%s", (_name, entry) => {
  const { image } = entry;
  it("validates with no issues", () => {
    expect(image.validate()).toEqual([]);
  });

  it(`renders to ${entry.golden}`, async () => {
    await expect(renderDockerfile(image)).toMatchFileSnapshot(`../${entry.golden}`);
  });

  it("renders the same bytes twice, and after a JSON round trip", () => {
    const first = renderDockerfile(image);
    expect(renderDockerfile(image)).toBe(first);
    expect(renderDockerfile(Image.fromJSON(JSON.stringify(image.toJSON())))).toBe(first);
  });
});

describe.each(EXAMPLES)("%s: the image lints clean", (example) => {
  it("has no lint finding at all, cudaWheelsRule included", () => {
    expect(lint(galleryImage(example), { extraRules: [cudaWheelsRule] })).toEqual([]);
  });
});

describe("python-service", () => {
  const image = galleryImage("python-service");
  const builder = galleryImage("python-service", "builder");

  it("runs as uid 10001 from the venv, on port 8080, with a healthcheck", () => {
    expect(image.inspect()).toEqual({
      Env: [`PATH=/opt/venv/bin:${DEFAULT_PATH}`, "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "PORT=8080"],
      Entrypoint: ["/opt/venv/bin/python", "/app/server.py"],
      Cmd: null,
      WorkingDir: "/app",
      User: "10001:10001",
      Labels: { "org.opencontainers.image.title": "python-service" },
      ExposedPorts: { "8080/tcp": {} },
      Healthcheck: {
        Test: ["CMD", "/opt/venv/bin/python", "/app/healthcheck.py"],
        Interval: 30_000_000_000,
        Timeout: 3_000_000_000,
        StartPeriod: 5_000_000_000,
        Retries: 3,
      },
    });
  });

  it("is two stages on the same base; the runtime takes only the venv from the builder", () => {
    const spec = image.toJSON();
    expect(spec.stages.map((stage) => [stage.id, stage.base])).toEqual([
      ["builder", { image: "python:3.12-slim" }],
      ["python-service", { image: "python:3.12-slim" }],
    ]);
    const copies = stageOf(image, "python-service").steps.filter((step) => step.kind === "copyFrom");
    expect(copies).toEqual([{ kind: "copyFrom", stage: "builder", sources: ["/opt/venv"], dest: "/opt/venv" }]);
  });

  it("installs the requirements in the builder with pip's cache on a cache mount, after copying them alone", () => {
    const steps = stageOf(builder, "builder").steps;
    expect(steps.map((step) => step.kind)).toEqual(["env", "run", "env", "copy", "run"]);
    expect(steps[3]).toEqual({ kind: "copy", sources: ["requirements.txt"], dest: "/tmp/requirements.txt" });
    expect(steps[4]).toEqual({
      kind: "run",
      command: { form: "shell", lines: ["pip install -r /tmp/requirements.txt"] },
      mounts: [{ type: "cache", target: "/root/.cache/pip" }],
    });
  });
});

describe("node-service", () => {
  const image = galleryImage("node-service");

  it("runs node as uid 1000 on port 3000, in production mode, with a healthcheck", () => {
    expect(image.inspect()).toEqual({
      Env: [`PATH=${DEFAULT_PATH}`, "NODE_ENV=production", "PORT=3000"],
      Entrypoint: ["node", "dist/server.js"],
      Cmd: null,
      WorkingDir: "/app",
      User: "1000:1000",
      Labels: { "org.opencontainers.image.title": "node-service" },
      ExposedPorts: { "3000/tcp": {} },
      Healthcheck: {
        Test: ["CMD", "node", "dist/healthcheck.js"],
        Interval: 30_000_000_000,
        Timeout: 3_000_000_000,
        StartPeriod: 5_000_000_000,
        Retries: 3,
      },
    });
  });

  it("runs npm ci with npm's cache on a cache mount; the runtime takes only dist/ and node_modules/", () => {
    const build = stageOf(image, "build");
    expect(runSteps(build).map((step) => [runLines(step), step.mounts ?? []])).toEqual([
      ["npm ci --no-audit --no-fund", [{ type: "cache", target: "/root/.npm" }]],
      ["npm run build && npm prune --omit=dev", []],
    ]);
    const copies = stageOf(image, "node-service").steps.filter((step) => step.kind === "copyFrom");
    expect(copies.map((step) => [step.stage, step.sources, step.dest])).toEqual([
      ["build", ["/app/node_modules"], "./node_modules"],
      ["build", ["/app/dist"], "./dist"],
    ]);
  });

  it("the app's manifest pins what the image builds: zod in production, the compiler in development", () => {
    const manifest = JSON.parse(readFileSync(join(examplesDir, "gallery/node-service/package.json"), "utf8")) as Record<string, unknown>;
    const lock = JSON.parse(readFileSync(join(examplesDir, "gallery/node-service/package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; dev?: boolean; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
    };
    expect(manifest).toMatchObject({ scripts: { build: "tsc -p tsconfig.build.json" }, dependencies: { zod: "4.6.7" } });
    expect(lock.packages[""]?.dependencies).toEqual(manifest.dependencies);
    expect(lock.packages[""]?.devDependencies).toEqual(manifest.devDependencies);
    const production = Object.entries(lock.packages).filter(([path, entry]) => path !== "" && entry.dev !== true);
    expect(production.map(([path, entry]) => `${path}@${entry.version ?? ""}`)).toEqual(["node_modules/zod@4.6.7"]);
  });
});

describe("pytorch-inference", () => {
  const image = galleryImage("pytorch-inference");

  it("resolves torch 2.7.1 for L40S and H100 to one CUDA build, base image and pins", () => {
    expect({
      baseImage: target.baseImage,
      wheelIndex: target.wheelIndex,
      pins: target.pins,
      python: target.python,
      archList: target.archList,
      minDriver: target.minDriver,
    }).toEqual({
      baseImage: "nvidia/cuda:12.6.3-base-ubuntu24.04",
      wheelIndex: "https://download.pytorch.org/whl/cu126",
      pins: { torch: "2.7.1", torchvision: "0.22.1", torchaudio: "2.7.1" },
      python: "3.12",
      archList: "8.9;9.0",
      minDriver: "560.28.03",
    });
    expect(image.toJSON().stages.map((stage) => stage.base)).toEqual([{ image: "nvidia/cuda:12.6.3-base-ubuntu24.04" }]);
  });

  it("serves the model as uid 1000 from the venv, with the HF cache, the torch pins and a healthcheck", () => {
    const config = image.inspect();
    expect({ ...config, Labels: Object.keys(config.Labels) }).toEqual({
      Env: [
        `PATH=/opt/venv/bin:${DEFAULT_PATH}`,
        "PIP_CACHE_DIR=/root/.cache/pip",
        "UV_CACHE_DIR=/root/.cache/uv",
        "VIRTUAL_ENV=/opt/venv",
        "PIP_CONSTRAINT=/etc/pip/torch-constraints.txt",
        "UV_CONSTRAINT=/etc/pip/torch-constraints.txt",
        "HF_HOME=/opt/huggingface",
        `MODEL_ID=${MODEL_ID}`,
        "PORT=8000",
      ],
      Entrypoint: ["python", "/app/serve.py"],
      Cmd: null,
      WorkingDir: "/app",
      User: "1000:1000",
      Labels: [
        "dev.chutes.preset.hf-cache",
        "dev.chutes.preset.non-root-user",
        "dev.chutes.preset.pip-cache",
        "dev.chutes.preset.python-venv",
        "dev.chutes.preset.torch",
      ],
      ExposedPorts: { "8000/tcp": {} },
      Healthcheck: {
        Test: ["CMD", "python", "/app/serve.py", "--check"],
        Interval: 30_000_000_000,
        Timeout: 5_000_000_000,
        StartPeriod: 300_000_000_000,
        Retries: 3,
      },
    });
  });

  it("is made of presets that declare what they set, and none conflict", () => {
    expect(appliedPresets(image)).toEqual([
      { name: "pip-cache", sets: { env: ["PIP_CACHE_DIR", "UV_CACHE_DIR"], paths: [], user: false }, notes: {} },
      { name: "python-venv", sets: { env: ["VIRTUAL_ENV"], paths: ["/opt/venv"], user: false }, notes: { python: "3.12" } },
      {
        name: "torch",
        sets: { env: ["PIP_CONSTRAINT", "UV_CONSTRAINT"], paths: ["/etc/pip/torch-constraints.txt"], user: false },
        notes: { index: "cu126", python: "3.12", torch: "2.7.1" },
      },
      { name: "hf-cache", sets: { env: ["HF_HOME"], paths: ["/opt/huggingface"], user: false }, notes: {} },
      { name: "non-root-user", sets: { env: [], paths: [], user: true }, notes: {} },
    ]);
    expect(presetConflicts(image)).toEqual([]);
  });

  it("installs torch alone from the cu126 index, then transformers under its pin, every pip step on the cache mounts", () => {
    const pip = runSteps(stageOf(image, "pytorch-inference")).filter((step) => runLines(step).startsWith("pip "));
    const caches = [{ type: "cache", target: "/root/.cache/pip" }, { type: "cache", target: "/root/.cache/uv" }];
    expect(pip.map((step) => [runLines(step), step.mounts])).toEqual([
      ["pip install --upgrade pip", caches],
      ["pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu126", caches],
      ["pip install -r /app/requirements.txt", caches],
    ]);
  });

  it("on a runtime-flavor base the same definition carries CUDA twice, and cudaWheelsRule says so", () => {
    const runtime = createInferenceImage(resolveTorch({ torch: "2.7.1", gpus: ["L40S", "H100"], flavor: "runtime" }));
    expect(runtime.toJSON().stages[0]?.base).toEqual({ image: "nvidia/cuda:12.6.3-runtime-ubuntu24.04" });
    const findings = lint(runtime, { extraRules: [cudaWheelsRule] });
    expect(findings.map(({ rule, severity, stage, step }) => ({ rule, severity, stage, step }))).toEqual([
      { rule: "cuda-runtime-with-pip-wheels", severity: "warning", stage: "pytorch-inference", step: 9 },
    ]);
    expect(runLines(runtime.toJSON().stages[0]?.steps[9])).toBe("pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu126");
    expect(findings[0]?.fix).toContain('.fromBase("nvidia/cuda:12.6.3-base-ubuntu24.04")');
  });
});

describe("custom-preset", () => {
  const image = galleryImage("custom-preset");

  it("runs the worker as the company's uid 10001, trusting the company CA, labelled with vendor and team", () => {
    const config = image.inspect();
    const bundle = "/etc/ssl/certs/ca-certificates.crt";
    expect({ ...config, Labels: Object.fromEntries(Object.entries(config.Labels).filter(([key]) => !key.startsWith("dev.chutes.preset."))) }).toEqual({
      Env: [
        `PATH=${DEFAULT_PATH}`,
        `SSL_CERT_FILE=${bundle}`,
        `REQUESTS_CA_BUNDLE=${bundle}`,
        `PIP_CERT=${bundle}`,
        "PIP_CACHE_DIR=/root/.cache/pip",
        "UV_CACHE_DIR=/root/.cache/uv",
      ],
      Entrypoint: ["python", "/srv/worker.py"],
      Cmd: null,
      WorkingDir: "/srv",
      User: "10001:10001",
      Labels: { "com.example-corp.team": "payments", "org.opencontainers.image.vendor": "Example Corp" },
      ExposedPorts: {},
    });
  });

  it("records the presets that built it, with their declarations and notes", () => {
    expect(presets).toEqual([
      {
        name: "example-corp.base",
        sets: { env: ["PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"], paths: ["/usr/local/share/ca-certificates/example-corp"], user: false },
        notes: { caBundle: "/etc/ssl/certs/ca-certificates.crt", pipConfSecret: "pip-conf" },
      },
      { name: "pip-cache", sets: { env: ["PIP_CACHE_DIR", "UV_CACHE_DIR"], paths: [], user: false }, notes: {} },
      { name: "example-corp.user", sets: { env: [], paths: [], user: true }, notes: {} },
    ]);
    expect(presetConflicts(image)).toEqual([]);
    expect(() => { checkPresets(image); }).not.toThrow();
  });

  it("reports a second preset that sets the user, and checkPresets throws it", () => {
    expect(conflicts.map(({ code, stage, step, value }) => ({ code, stage, step, value }))).toEqual([
      { code: "preset-user-conflict", stage: "billing-worker", step: 22, value: "non-root-user" },
    ]);
    expect(conflicts[0]?.message).toBe(
      'presets "example-corp.user" (stage billing-worker, step 18) and "non-root-user" (stage billing-worker, step 22) both set the user; keep one of them',
    );
    expect(doubleUser.inspect().User).toBe("1000:1000");
    expect(() => { checkPresets(doubleUser); }).toThrow(ValidationError);
  });

  it("installs from the internal index with pip.conf as a required secret mount, never in the config", () => {
    const pip = runSteps(stageOf(image, "billing-worker")).filter((step) => runLines(step).startsWith("pip "));
    expect(pip.map((step) => [runLines(step), step.mounts])).toEqual([
      [
        "pip install -r /srv/requirements.txt",
        [
          { type: "secret", id: "pip-conf", target: "/etc/pip.conf", required: true },
          { type: "cache", target: "/root/.cache/pip" },
          { type: "cache", target: "/root/.cache/uv" },
        ],
      ],
    ]);
    // Without withPipCache, the same helper keeps pip's cache out of the layer with --no-cache-dir.
    const plain = new Image("example-corp", "plain", "1.0.0").fromBase("python:3.12-slim").with(customPreset.companyPipInstall(["flask==3.1.1"]));
    expect(runSteps(stageOf(plain, "plain")).map((step) => [runLines(step), step.mounts])).toEqual([
      ["pip install --no-cache-dir flask==3.1.1", [{ type: "secret", id: "pip-conf", target: "/etc/pip.conf", required: true }]],
    ]);
    const cached = plain.with(withPipCache()).with(customPreset.companyPipInstall(["numpy<2"]));
    expect(runLines(runSteps(stageOf(cached, "plain")).at(-1))).toBe("pip install 'numpy<2'");
  });

  it("the company presets carry their declarations", () => {
    expect(customPreset.companyBase({ team: "payments" }).sets).toEqual({
      env: ["PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"],
      paths: ["/usr/local/share/ca-certificates/example-corp"],
      user: false,
    });
    expect(customPreset.companyUser().sets).toEqual({ env: [], paths: [], user: true });
    expect(customPreset.companyBase({ team: "payments" }).presetName).toBe("example-corp.base");
  });
});
