// The layered templates built for real, CPU-only and offline, on engines A (Docker 20.10 / BuildKit 0.8) and B
// (Docker 26 / BuildKit 0.13) (CHUTES_ENGINE=a|b|all): createNlpImage(createMlImage(createBaseAiImage(...))) on the
// local Debian image (base overridden explicitly), with the Python installer replaced by a stand-in python-venv
// preset whose `pip` only logs its arguments and PIP_CONSTRAINT. The default torch and pip installers then run
// that stub, so the build proves the steps the templates emit run in order (torch pinned before the later
// installs, which see the constraints file) and produce the config the image promises (`nlp.inspect()`).
// Unreachable engines skip when CI is unset and fail under CI=true.

import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, connectBuildKit } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import { renderDockerfile } from "@chutes/dockerfile";
import type { BaseImageConfig } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTar } from "@chutes/test-support/tar-listing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appliedPresets, createBaseAiImage, createMlImage, createNlpImage, definePreset } from "../src/index.ts";
import type { Installers } from "../src/index.ts";

const DEBIAN = "local/debian:bookworm-minbase";

/** A venv stand-in: a `pip` that appends `<its arguments> | PIP_CONSTRAINT=<value>` to /opt/venv/pip.log. */
const pythonVenvStandIn = definePreset({
  name: "python-venv",
  sets: { env: ["VIRTUAL_ENV"], paths: ["/opt/venv"] },
  notes: { python: "3.12" },
  apply: (image) =>
    image
      .runCommand(
        `mkdir -p /opt/venv/bin && printf '%s\\n' '#!/bin/sh' 'echo "$* | PIP_CONSTRAINT=$PIP_CONSTRAINT" >> /opt/venv/pip.log' > /opt/venv/bin/pip && chmod 755 /opt/venv/bin/pip`,
      )
      .withEnv("VIRTUAL_ENV", "/opt/venv")
      .withEnv("PATH", "/opt/venv/bin:$PATH"),
});
const installers: Partial<Installers> = { python: () => pythonVenvStandIn };

const nlp = createNlpImage(createMlImage(createBaseAiImage({ base: DEBIAN, cuda: "cpu", pipCache: false, installers }), { installers }), { installers });
const torch = appliedPresets(nlp).find((preset) => preset.name === "torch")?.notes.torch ?? "";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);

/** A base image's config from the engine, in the form `image.inspect(baseConfig)` takes. */
async function baseConfig(engine: TestEngine, ref: string): Promise<BaseImageConfig> {
  const config = (JSON.parse((await engineApi(engine, "GET", `/images/${encodeURIComponent(ref)}/json`)).body) as { Config?: { Env?: string[] | null; WorkingDir?: string; User?: string } | null }).Config;
  return {
    ...(config?.Env ? { Env: config.Env } : {}),
    ...(config?.WorkingDir ? { WorkingDir: config.WorkingDir } : {}),
    ...(config?.User ? { User: config.User } : {}),
  };
}

describe("the CPU variant of the layered templates", () => {
  test("is what the plan says: the local base, no cache mounts, the stand-in venv, CPU wheels", () => {
    const spec = nlp.toJSON();
    expect(spec.stages.map((stage) => stage.base)).toEqual([{ image: DEBIAN }]);
    const dockerfile = renderDockerfile(nlp);
    expect(dockerfile).not.toContain("--mount=type=cache");
    expect(dockerfile).toContain("--index-url https://download.pytorch.org/whl/cpu");
    expect(appliedPresets(nlp).map((preset) => preset.name)).toEqual(["python-venv", "torch-target", "torch", "hf-cache"]);
    expect(torch).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe.each(engines)("the CPU variant built on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  let client: BuildKitClient | undefined;
  let work = "";
  const tag = `chutes-presets-test/nlp-cpu:${engine.id}-${nonce}`;

  function connected(): BuildKitClient {
    if (client === undefined) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    return client;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `chutes-presets-build-${engine.id}-`));
    if (up) client = await connectBuildKit({ address: engine.address });
  });

  afterAll(async () => {
    if (up) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
    await client?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("has the config nlp.inspect() promises", { timeout: 120_000 }, async () => {
    await build(nlp, { engine: connected(), contextDir: work, dockerfile: renderDockerfile(nlp), tags: [tag], network: "none" });
    const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(tag)}/json`);
    const config = (JSON.parse(reply.body) as { Config: Record<string, unknown> }).Config;
    const promised = nlp.inspect(await baseConfig(engine, DEBIAN));
    expect(config.Env).toEqual(promised.Env);
    expect(config.WorkingDir ?? "").toBe(promised.WorkingDir);
    expect(config.User ?? "").toBe(promised.User);
    expect(config.Entrypoint ?? null).toEqual(promised.Entrypoint);
    expect(config.Cmd ?? null).toEqual(promised.Cmd);
    expect(config.ExposedPorts ?? {}).toEqual(promised.ExposedPorts);
    expect(config.Labels).toEqual(promised.Labels);
    expect(promised.Env).toEqual(
      expect.arrayContaining([
        "VIRTUAL_ENV=/opt/venv",
        "PIP_CONSTRAINT=/etc/pip/torch-constraints.txt",
        "TORCH_HOME=/opt/torch",
        "HF_HOME=/opt/huggingface",
        "TRANSFORMERS_CACHE=/opt/models",
      ]),
    );
  });

  it("ran its steps in order: torch pinned first, the later installs constrained; the directories exist", { timeout: 120_000 }, async () => {
    const file = join(work, "nlp.tar");
    await build(nlp, { engine: connected(), contextDir: work, dockerfile: renderDockerfile(nlp), exporter: { type: "tar", file }, network: "none" });
    const members = new Map(listTar(await readFile(file)).map((member) => [member.name, member]));
    expect(members.get("etc/pip/torch-constraints.txt")?.data.toString()).toMatch(new RegExp(`^torch==${torch.replaceAll(".", "\\.")}\ntorchvision==\\d+\\.\\d+\\.\\d+\n$`));
    expect(members.get("opt/huggingface")?.type).toBe("5");
    expect(members.get("opt/models")?.type).toBe("5");
    expect(members.get("opt/venv/pip.log")?.data.toString().split("\n")).toEqual([
      "install --no-cache-dir numpy pandas scikit-learn | PIP_CONSTRAINT=",
      expect.stringMatching(new RegExp(`^install --no-cache-dir torch==${torch.replaceAll(".", "\\.")} torchvision==\\S+ --index-url https://download\\.pytorch\\.org/whl/cpu \\| PIP_CONSTRAINT=$`)),
      "install --no-cache-dir transformers tokenizers datasets | PIP_CONSTRAINT=/etc/pip/torch-constraints.txt",
      "install --no-cache-dir spacy nltk | PIP_CONSTRAINT=/etc/pip/torch-constraints.txt",
      "",
    ]);
  });
});
