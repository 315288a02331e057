// `chutes-image build`, run as a user would (plain node on dist/cli.js) against engines A and B
// (CHUTES_ENGINE=a|b|all). An unreachable engine skips its tests when CI is unset and fails them under CI=true.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function chutesImage(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: repo, env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("chutes-image build without an engine", () => {
  test("exits 4 with the hint to start one", async () => {
    const result = await chutesImage(["build", "apps/demo/test/fixtures/build/failing.ts", "--engine", "docker+unix:///nonexistent/docker.sock"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^chutes-image build: no engine: /);
    expect(result.stderr).toContain("bash scripts/engine.sh up");
  });

  test("exits 2 on usage errors, before loading anything", async () => {
    for (const args of [
      ["--output", "type=oci"],
      ["--output", "type=local"],
      ["--network", "bridge"],
      ["--tag", "x:1", "--output", "type=tar,dest=x.tar"],
      ["--secret", "id=a"],
      ["--base-map", "python:3.11-slim"],
      ["--progress", "fancy"],
    ]) {
      const result = await chutesImage(["build", "apps/demo/test/fixtures/build/failing.ts", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^chutes-image build: /);
    }
  });

  test("exits 1 on definition problems, listing them", async () => {
    const result = await chutesImage(["build", "apps/demo/test/fixtures/invalid.ts", "--engine", "docker+unix:///nonexistent/docker.sock"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^chutes-image build: apps\/demo\/test\/fixtures\/invalid\.ts has 3 problems:/);
  });
});

describe.each(engines)("chutes-image build on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  const images: string[] = [];
  let work = "";

  function engineArgs(): string[] {
    if (!up) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    return ["--engine", engine.address];
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `chutes-cli-build-${engine.id}-`));
  });

  afterAll(async () => {
    if (up) for (const image of images) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`);
    await rm(work, { recursive: true, force: true });
  });

  it("builds the demo image with plain progress, tags it, and prints the id", { timeout: 180_000 }, async () => {
    const tag = `chutes-cli-test/demo-${engine.id}:${nonce}`;
    images.push(tag);
    const result = await chutesImage(["build", "examples/demo/image.ts", "--tag", tag, "--network", "host", "--progress", "plain", "--frontend", "dockerfile", ...engineArgs()]);
    expect(result.code, result.stderr).toBe(0);
    const id = /^Built (sha256:[0-9a-f]{64}) in [\d.]+s \(context: \d+ files?, \d+ bytes sent\)$/m.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    expect(result.stdout).toContain(`Tagged docker.io/${tag}\n`);
    expect(result.stderr).toMatch(/^#\d+ \[internal\] load build definition from Dockerfile$/m);
    expect(result.stderr).toMatch(/^#\d+ \[5\/5\] COPY --chown=1000:1000 app\/ \.\/$/m);
    const inspect = JSON.parse((await engineApi(engine, "GET", `/images/${encodeURIComponent(tag)}/json`)).body) as { Id: string; Config: { User: string; WorkingDir: string } };
    expect(inspect.Id).toBe(id);
    expect(inspect.Config).toMatchObject({ User: "app", WorkingDir: "/srv/app" });
  });

  it("exits 3 and names the failed step, the command, the exit code and its last output", { timeout: 60_000 }, async () => {
    const result = await chutesImage(["build", "apps/demo/test/fixtures/build/failing.ts", "--network", "none", "--progress", "json", "--no-cache", ...engineArgs()]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    const message = result.stderr.slice(result.stderr.indexOf("chutes-image build:"));
    expect(message).toMatch(
      /^chutes-image build: failed at step 2 of stage failing \(runCommand at \/\S*apps\/demo\/test\/fixtures\/build\/failing\.ts:8\): "cat \/greeting.txt && echo about to fail >&2 && exit 42" exited with code 42:\n/,
    );
    expect(message).toContain("  hello from the build fixture\n");
    expect(message).toContain("  about to fail\n");
    // --progress json: one event per line before the message.
    const events = result.stderr.slice(0, result.stderr.indexOf("chutes-image build:")).trim().split("\n");
    expect(events.every((line) => typeof (JSON.parse(line) as { kind?: unknown }).kind === "string")).toBe(true);
  });

  it("maps base images explicitly, says so, and exports the tree with --output type=local", { timeout: 60_000 }, async () => {
    const dest = join(work, "mapped");
    const result = await chutesImage([
      "build",
      "apps/demo/test/fixtures/build/mapped.ts",
      "--base-map",
      "python:3.11-slim=local/debian:bookworm-minbase",
      "--base-map",
      "ubuntu:22.04=local/debian:bookworm-minbase",
      "--output",
      `type=local,dest=${dest}`,
      "--network",
      "none",
      "--progress",
      "plain",
      ...engineArgs(),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("note: --base-map: stage mapped is built FROM local/debian:bookworm-minbase instead of python:3.11-slim\n");
    expect(result.stderr).toContain("note: --base-map ubuntu:22.04=local/debian:bookworm-minbase matched no base image of this definition\n");
    const built = await readFile(join(dest, "built.txt"), "utf8");
    expect(built).toMatch(/^12\.\d+\nhello from the build fixture\n$/);
    expect(result.stdout).toMatch(/^Built in [\d.]+s \(context: \d+ files?, \d+ bytes sent\); files written to /);
  });

  it("passes secrets from the environment and files, and build args", { timeout: 60_000 }, async () => {
    const secretFile = join(work, "token.txt");
    await writeFile(secretFile, `file-secret-${nonce}`);
    const result = await chutesImage(
      ["build", "apps/demo/test/fixtures/build/secret.ts", "--secret", "id=a,env=CHUTES_TEST_SECRET", "--secret", `id=b,src=${secretFile}`, "--build-arg", `GREETING=hi-${nonce}`, "--output", `type=tar,dest=${join(work, "secret.tar")}`, "--network", "none", "--progress", "plain", "--no-cache", ...engineArgs()],
      { CHUTES_TEST_SECRET: `env-secret-${nonce}` },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`env-secret-${nonce}file-secret-${nonce} hi-${nonce}`);
  });
});
