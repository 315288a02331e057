// `chutes-image engine`, run as a user would (dist/cli.js). `status` against the real engines A and B when they
// answer (skipped when not, failing under CI=true, as build.integration.test.ts does); `up` only for an engine that
// is already up (a no-op); `down` never, here or anywhere in the tests.
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ci, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, describe, expect, it, test } from "vitest";
import { findRepoRoot } from "../src/repo.ts";
import { chutesImage, repo } from "./support/cli.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("chutes-image engine", () => {
  it("reports an engine that does not answer, and exits 4", async () => {
    const result = await chutesImage(["engine", "status", "--engine", "docker+unix:///nonexistent/docker.sock"]);
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/^Engine: docker\+unix:\/\/\/nonexistent\/docker\.sock \(--engine\)\n {2}answers: no: .*ENOENT/);
    expect(result.stdout).toContain("  hint: start it");
  });

  it("exits 2 for an address that is not one", async () => {
    const result = await chutesImage(["engine", "status", "--engine", "tcp://"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^chutes-image engine: invalid engine address "tcp:\/\/": expected tcp:\/\/host:port/);
    const env = await chutesImage(["engine", "status"], { env: { DOCKER_HOST: "ftp://engine" } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^chutes-image engine: invalid engine address "ftp:\/\/engine" \(from DOCKER_HOST\): the scheme ftp:\/\/ is not supported; use unix:\/\//);
  });

  it("exits 2 on usage errors, naming the value and the choices", async () => {
    const cases: [string[], string][] = [
      [["restart"], 'chutes-image engine: unknown engine command "restart"; use status, up or down, e.g. chutes-image engine status'],
      [["up", "c"], 'chutes-image engine: up: unknown engine "c"; use a, b or all'],
      [["down", "a", "b"], "chutes-image engine: down takes one engine (a, b or all), got a b"],
      [["up", "b", "--json"], "chutes-image engine: up manages this repository's engines a and b; --engine and --json only apply to status"],
    ];
    for (const [args, message] of cases) {
      const result = await chutesImage(["engine", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0]).toBe(message);
      expect(result.stderr).toContain("Usage: chutes-image engine status");
    }
    const option = await chutesImage(["engine", "status", "--wait"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^chutes-image engine: Unknown option '--wait'/);
  });

  it("refuses up and down when the CLI does not run from the repository", async () => {
    // A copy of the built CLI outside the repository, with its dependencies, as an install elsewhere would be.
    const dir = await mkdtemp(join(tmpdir(), "chutes-cli-elsewhere-"));
    dirs.push(dir);
    const demo = fileURLToPath(new URL("../", import.meta.url));
    await cp(join(demo, "dist"), join(dir, "dist"), { recursive: true });
    await cp(join(demo, "package.json"), join(dir, "package.json"));
    await symlink(join(demo, "node_modules"), join(dir, "node_modules"));
    expect(findRepoRoot(join(dir, "dist"))).toBeUndefined();
    const result = await chutesImage(["engine", "up", "b"], { script: join(dir, "dist", "cli.js"), cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^chutes-image engine up: up and down manage the chutes-image repository's development engines \(scripts\/engine\.sh\), and this CLI does not run from a checkout of that repository\./);
    expect(result.stderr).toContain("set DOCKER_HOST or BUILDKIT_HOST");
  });

  it("finds the repository from its own dist/ and src/", () => {
    expect(findRepoRoot(fileURLToPath(new URL("../dist", import.meta.url)))).toBe(repo.replace(/\/$/, ""));
    expect(findRepoRoot()).toBe(repo.replace(/\/$/, ""));
  });
});

describe.each(engines)("chutes-image engine on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  const socket = `unix://${engine.socket}`;

  function requireUp(): void {
    if (!up) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
  }

  it("status: the engine DOCKER_HOST names answers, with its version and workers", async () => {
    requireUp();
    const result = await chutesImage(["engine", "status"], { env: { DOCKER_HOST: socket } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`Engine: docker+unix://${engine.socket} (from DOCKER_HOST)`);
    expect(lines[1]).toMatch(new RegExp(`^ {2}answers: yes in \\d+ ms, Docker ${engine.id === "a" ? "20\\.10" : "26\\."}[^,]*, API 1\\.\\d+$`));
    expect(lines[2]).toMatch(/^ {2}BuildKit: \d+ workers?, linux\/amd64/);
    expect(result.stdout).toMatch(new RegExp(`^ {2}${engine.id} {2}up {4}docker\\+unix://${engine.socket} {2}Docker `, "m"));
  });

  it("status <id> --json: the development engine is up", async () => {
    requireUp();
    const result = await chutesImage(["engine", "status", engine.id, "--json", "--engine", engine.address]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { engine: { answers: boolean; kind: string; address: string }; local: { id: string; up: boolean }[]; repository: string };
    expect(report.engine).toMatchObject({ answers: true, kind: "docker", address: engine.address });
    expect(report.local).toEqual([expect.objectContaining({ id: engine.id, up: true })]);
    expect(report.repository).toBe(repo.replace(/\/$/, ""));
  });

  it("up <id>: runs scripts/engine.sh, which finds it already up", { timeout: 120_000 }, async () => {
    requireUp();
    const result = await chutesImage(["engine", "up", engine.id], { timeoutMs: 110_000 });
    expect(result.stderr).toContain(`chutes-image engine up: bash scripts/engine.sh up ${engine.id}\n`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${engine.id}: up `, "m"));
  });
});
