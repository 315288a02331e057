// Every publishable package, packed as `pnpm publish` would pack it, installed with npm into a fresh project
// outside the repository, and used from an ES module, a CommonJS module and TypeScript (node16 and bundler
// resolution): what a user gets from the registry, without publishing.

import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerProject, temporaryDirectory, typesNodeRange } from "../src/consumer-project.ts";
import type { ConsumerProject } from "../src/consumer-project.ts";
import { run } from "../src/exec.ts";
import { packPackages } from "../src/pack.ts";
import type { PackedPackage } from "../src/pack.ts";
import { publishablePackages, tscBin } from "../src/workspace.ts";
import type { WorkspacePackage } from "../src/workspace.ts";

/** The packages the fixtures in test/fixtures/consumer use; a new publishable package needs its checks there. */
const COVERED = ["@chutes/buildkit", "@chutes/context", "@chutes/dockerfile", "@chutes/image-core", "@chutes/presets"];

const fixtures = new URL("fixtures/consumer/", import.meta.url);

let packages: WorkspacePackage[];
let packed: PackedPackage[];
let project: ConsumerProject;
const timings: Record<string, number> = {};
let typechecks: { readonly node16: Promise<string[]>; readonly bundler: Promise<string[]> };
/** What afterAll removes, pushed as it is created (kept with CHUTES_KEEP_CONSUMER=1). */
const created: string[] = [];

beforeAll(async () => {
  packages = await publishablePackages();
  const tarballDir = await temporaryDirectory("tarballs");
  created.push(tarballDir);
  const started = performance.now();
  packed = await packPackages(packages, tarballDir);
  timings.pack = Math.round(performance.now() - started);
  project = await createConsumerProject(
    packed.map((pkg) => pkg.tarball),
    [`@types/node@${await typesNodeRange()}`],
  );
  created.push(project.dir);
  timings.install = project.installMs;

  const typed = await readFile(new URL("typed.ts", fixtures), "utf8");
  for (const name of ["esm.mts", "cjs.cts", "bundler.ts"]) await writeFile(join(project.dir, name), typed);
  for (const name of ["esm.mjs", "cjs.cjs", "tsconfig.node16.json", "tsconfig.bundler.json"]) await cp(new URL(name, fixtures), join(project.dir, name));
  // A build context for collectContext: .dockerignore drops __pycache__, and README.md is not referenced.
  await mkdir(join(project.dir, "ctx", "src", "__pycache__"), { recursive: true });
  await writeFile(join(project.dir, "ctx", ".dockerignore"), "**/__pycache__\n");
  await writeFile(join(project.dir, "ctx", "README.md"), "not referenced by the image\n");
  await writeFile(join(project.dir, "ctx", "src", "main.py"), 'print("hello")\n');
  await writeFile(join(project.dir, "ctx", "src", "__pycache__", "main.cpython-312.pyc"), "ignored\n");
  // The two tsc runs take most of the time: start both now, each test awaits its own.
  typechecks = { node16: settled(typecheck("tsconfig.node16.json")), bundler: settled(typecheck("tsconfig.bundler.json")) };
});

afterAll(async () => {
  console.info(`consumer-check: pack ${String(timings.pack)} ms, npm install ${String(timings.install)} ms (${created.join(", ")})`);
  if (process.env.CHUTES_KEEP_CONSUMER === "1") return;
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("the packed packages", () => {
  it("are every publishable package, and the fixtures cover each", () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(COVERED);
  });

  it("hold the built entry points, the README and the repository's LICENSE, no sources or tests", async () => {
    const license = await readFile(new URL("../../../LICENSE", import.meta.url), "utf8");
    for (const pkg of packed) {
      expect(pkg.files, pkg.name).toEqual(expect.arrayContaining(["LICENSE", "README.md", "dist/index.cjs", "dist/index.d.cts", "dist/index.d.ts", "dist/index.js", "package.json"]));
      // npm takes LICENSE from the package's folder only: each is a copy of the root's, kept equal here.
      expect(await readFile(join(project.dir, "node_modules", pkg.name, "LICENSE"), "utf8"), pkg.name).toBe(license);
      const unexpected = pkg.files.filter((file) => !/^(dist\/[^/]+|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/.test(file));
      expect(unexpected, pkg.name).toEqual([]);
    }
  });

  it("install with no workspace: ranges left, @chutes/image-core as a peer of the others", async () => {
    for (const pkg of packed) {
      const manifest = JSON.parse(await readFile(join(project.dir, "node_modules", pkg.name, "package.json"), "utf8")) as Record<string, unknown>;
      expect(JSON.stringify(manifest), pkg.name).not.toContain("workspace:");
      if (pkg.name !== "@chutes/image-core") {
        expect(manifest.peerDependencies, pkg.name).toEqual({ "@chutes/image-core": `^${packed.find((p) => p.name === "@chutes/image-core")?.version ?? "?"}` });
      }
    }
  });
});

/** What esm.mjs and cjs.cjs print: real results from every package. */
const expectedReport = {
  base: { image: "debian:bookworm" },
  env: ["PATH=/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  dockerfile: 'FROM debian:bookworm\nENV PATH="/opt/bin:$PATH"\nCOPY src/ /app/\nCMD ["python", "/app/main.py"]\n',
  invalid: { name: "ValidationError", code: "validation-failed", "instanceof ValidationError": true, "instanceof ChutesError": true, issues: ["invalid-env-key"] },
  dockerignore: [
    { line: 1, text: "node_modules", pattern: "node_modules", exclusion: false },
    { line: 2, text: "!node_modules/keep", pattern: "node_modules/keep", exclusion: true },
  ],
  badDockerignore: { name: "ContextError", code: "invalid-dockerignore", "instanceof ContextError": true, "instanceof ChutesError": true },
  context: ["src/main.py"],
  contextDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as unknown,
  address: { network: "tcp", host: "127.0.0.1", port: 1234, kind: "buildkitd", source: "option", raw: "tcp://127.0.0.1:1234" },
  formattedAddress: "buildkitd+unix:///run/buildkit/buildkitd.sock",
  badAddress: { name: "BuildKitError", code: "invalid-address", "instanceof BuildKitError": true, "instanceof ChutesError": true },
  torch: {
    baseImage: "nvidia/cuda:12.6.3-base-ubuntu24.04",
    pins: { torch: "2.7.1", torchvision: "0.22.1", torchaudio: "2.7.1" },
    archList: "9.0",
    python: "3.12",
  },
  presetIsCoreImage: true,
  presetFrom: "FROM nvidia/cuda:11.8.0-base-ubuntu22.04",
};

async function report(script: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [script, "ctx"], { cwd: project.dir });
  return JSON.parse(stdout);
}

describe("at run time", () => {
  it("works from an ES module (import)", async () => {
    expect(await report("esm.mjs")).toEqual(expectedReport);
  });

  it("works from CommonJS (require), with the same results, context digest included", async () => {
    const [esm, cjs] = await Promise.all([report("esm.mjs"), report("cjs.cjs")]);
    expect(cjs).toEqual(expectedReport);
    expect(cjs).toEqual(esm);
  });
});

/** The same promise, marked as handled: it is awaited by a test later, and may reject before that. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Runs the repository's tsc on a fixture tsconfig; returns the declaration files it read from @chutes packages. */
async function typecheck(tsconfig: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [tscBin, "-p", tsconfig, "--listFiles"], { cwd: project.dir });
  return stdout
    .split("\n")
    .filter((file) => file.includes("/node_modules/@chutes/"))
    .map((file) => file.slice(file.indexOf("@chutes/")))
    .sort();
}

describe("in TypeScript", () => {
  it("type-checks with moduleResolution node16, the .mts against index.d.ts and the .cts against index.d.cts", async () => {
    const read = await typechecks.node16;
    expect(read).toEqual(COVERED.flatMap((name) => [`${name}/dist/index.d.cts`, `${name}/dist/index.d.ts`]).sort());
  });

  it("type-checks with moduleResolution bundler, against index.d.ts", async () => {
    const read = await typechecks.bundler;
    expect(read).toEqual(COVERED.map((name) => `${name}/dist/index.d.ts`).sort());
  });
});
