// The starter `chutes-image init` writes builds with `chutes-image build` on engines A and B (CHUTES_ENGINE=a|b|all),
// its python:3.12-slim base mapped to the engines' local Debian (they are offline). An unreachable engine skips its
// tests when CI is unset and fails them under CI=true.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chutesImage } from "./support/cli.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
let work = "";

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "chutes-init-build-"));
  const init = await chutesImage(["init", "starter"], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(engines)("chutes-image init, then build on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  const images: string[] = [];

  afterAll(async () => {
    if (up) for (const image of images) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`);
  });

  it("builds the starter with --base-map, as the next steps say", { timeout: 180_000 }, async () => {
    if (!up) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    const tag = `chutes-cli-test/starter-${engine.id}:${nonce}`;
    images.push(tag);
    const result = await chutesImage(
      ["build", "starter/image.ts", "--base-map", "python:3.12-slim=local/debian:bookworm-minbase", "--network", "none", "--tag", tag, "--progress", "plain", "--engine", engine.address],
      { cwd: work, timeoutMs: 170_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("note: --base-map: stage starter is built FROM local/debian:bookworm-minbase instead of python:3.12-slim\n");
    // A cached rebuild on BuildKit 0.8 may not sync the context at all, so no "(context: ...)" then.
    expect(result.stdout).toMatch(/^Built sha256:[0-9a-f]{64} in [\d.]+s(?: \(context: \d+ files?, \d+ bytes sent\))?$/m);
    expect(result.stdout).toContain(`Tagged docker.io/${tag}\n`);
    const inspect = JSON.parse((await engineApi(engine, "GET", `/images/${encodeURIComponent(tag)}/json`)).body) as {
      Config: { User: string; WorkingDir: string; Cmd: string[]; ExposedPorts: Record<string, unknown>; Env: string[] };
    };
    expect(inspect.Config).toMatchObject({ User: "app", WorkingDir: "/app", Cmd: ["python", "main.py"], ExposedPorts: { "8000/tcp": {} } });
    expect(inspect.Config.Env).toContain("PYTHONUNBUFFERED=1");
  });
});
