// The gallery's buildable examples built for real on engines A (Docker 20.10 / BuildKit 0.8) and B (Docker 26 /
// BuildKit 0.13) (CHUTES_ENGINE=a|b|all), through @chutes/buildkit's build() (LLB), then run.
//
// No registry is reachable here, so `python:3.12-slim` is replaced by a stage of the same build made from the local
// Debian image with Debian's python3, venv and pip (support/gallery-offline.ts); Debian's mirror is reachable with
// host networking, PyPI is not (both examples' requirements are empty). What is checked:
// - python-service: the engine's config is what `image.inspect()` says (healthcheck included); the container
//   answers `/` (from the venv, as uid 10001) and `/health`; the image's own healthcheck command exits 0 in it; /app
//   holds the app and nothing the .dockerignore excludes; /opt/venv is the builder's venv; nothing else of the
//   builder (its requirements copy, pip's cache) is in the image.
// - custom-preset: built with the `pip-conf` secret (required), the worker exits 0 only when TLS trusts the Example
//   Corp root CA, as uid 10001; /etc/pip.conf is in no layer.
// Not built here: node-service (`npm ci` needs the npm registry) and pytorch-inference (nvidia/cuda, CUDA wheels,
// a GPU); gallery.test.ts renders, lints and inspects them.
// Unreachable engines skip when CI is unset and fail under CI=true.

import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, connectBuildKit } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import type { Image } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { treeLines } from "@chutes/test-support/tar-listing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { galleryImage } from "./gallery-modules.ts";
import { createContainer, engineHealthcheck, runEntrypoint } from "./support/containers.ts";
import { BUILT_HERE, substituteBases } from "./support/gallery-offline.ts";
import { freePort, httpGet } from "./support/http.ts";
import { baseConfig, comparableEngineConfig, comparableEvaluatedConfig, engineConfig, runContainer } from "./support/images.ts";
import { DEBIAN } from "./support/seed-offline.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
const galleryDir = fileURLToPath(new URL("../gallery/", import.meta.url));

/** What pip's configuration would hold: an internal index (and, in real life, its token). */
const PIP_CONF = "[global]\nindex-url = https://pypi.example-corp.invalid/simple\n";

/** The listing line (`@chutes/test-support/tar-listing`) of a root-owned 0644 copy of a file of this repository. */
function fileLine(path: string, source: string): string {
  const data = readFileSync(source);
  return `${path} file 0644 0:0 ${data.length}  ${createHash("sha256").update(data).digest("hex")}`;
}

describe("the gallery's builds", () => {
  test("are the examples README.md says are built here", () => {
    expect([...BUILT_HERE]).toEqual(["custom-preset", "python-service"]);
  });
});

describe.each(engines)("the gallery built on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  const it = test.skipIf(!up && !ci);
  let client: BuildKitClient | undefined;
  let work = "";
  const tags: string[] = [];

  function connected(): BuildKitClient {
    if (client === undefined) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    return client;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `chutes-gallery-build-${engine.id}-`));
    if (up) client = await connectBuildKit({ address: engine.address });
  });

  afterAll(async () => {
    if (up) for (const tag of tags) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
    await client?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** A copy of the example's folder as the build context, with `extra` files written into it. */
  async function contextOf(example: string, extra: Readonly<Record<string, string>> = {}): Promise<string> {
    const dir = join(work, example);
    await cp(join(galleryDir, example), dir, { recursive: true });
    for (const [path, content] of Object.entries(extra)) {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  }

  async function buildExample(example: string, contextDir: string, secrets: Readonly<Record<string, string>> = {}): Promise<{ image: Image; tag: string }> {
    const image = substituteBases(galleryImage(example));
    const tag = `chutes-gallery-test/${example}:${engine.id}-${nonce}`;
    tags.push(tag);
    await build(image, { engine: connected(), contextDir, tags: [tag], network: "host", secrets });
    return { image, tag };
  }

  it.concurrent("python-service builds, runs, answers, passes its own healthcheck, and ships only the venv and the app", { timeout: 240_000 }, async () => {
    // Stale bytecode inside app/, which the image copies whole: the .dockerignore keeps it out.
    const contextDir = await contextOf("python-service", { "app/__pycache__/server.cpython-311.pyc": "stale" });
    const { image, tag } = await buildExample("python-service", contextDir);

    const evaluated = image.inspect(await baseConfig(engine, DEBIAN));
    expect(comparableEngineConfig(await engineConfig(engine, tag))).toEqual(comparableEvaluatedConfig(evaluated));
    expect(await engineHealthcheck(engine, tag)).toEqual(evaluated.Healthcheck);

    const port = await freePort();
    const service = await createContainer(engine, tag, { env: { PORT: String(port) } });
    try {
      expect(await httpGet(port, "/", 30_000)).toEqual({ status: 200, body: '{"python": "/opt/venv", "service": "python-service", "uid": 10001}\n' });
      expect(await httpGet(port, "/health", 5_000)).toEqual({ status: 200, body: "ok\n" });
      expect(await httpGet(port, "/nothing", 5_000)).toEqual({ status: 404, body: "not found\n" });
      // The HEALTHCHECK's command against the running service, in a container of the same image (same user, same
      // environment, the host's network as the service's).
      const check = evaluated.Healthcheck?.Test ?? [];
      expect(check[0]).toBe("CMD");
      expect(await runEntrypoint(engine, tag, check.slice(1), { PORT: String(port) })).toEqual({ exitCode: 0, output: "" });
      expect(await runEntrypoint(engine, tag, check.slice(1), { PORT: String(await freePort()) })).toEqual({ exitCode: 1, output: "" });

      // Root's, read-only for uid 10001, and without the context's __pycache__.
      expect(treeLines((await service.files("/app")) ?? [])).toEqual([
        "app dir 0755 0:0 0",
        fileLine("app/healthcheck.py", join(galleryDir, "python-service/app/healthcheck.py")),
        fileLine("app/server.py", join(galleryDir, "python-service/app/server.py")),
      ]);
      const venv = (await service.files("/opt/venv")) ?? [];
      const paths = new Set(venv.map((entry) => entry.path));
      for (const path of ["venv/pyvenv.cfg", "venv/bin/python", "venv/bin/pip"]) expect(paths, path).toContain(path);
      expect(venv.find((entry) => entry.path === "venv/bin/python")).toMatchObject({ type: "symlink" });
      expect([...paths].some((path) => /^venv\/lib\/python3\.\d+\/site-packages\/pip$/.test(path))).toBe(true);
      // The builder's other files stayed in the builder.
      expect(await service.files("/tmp/requirements.txt")).toBeNull();
      expect(await service.files("/root/.cache/pip")).toBeNull();
    } catch (error) {
      throw new Error(`python-service: ${String(error)}\n--- container log ---\n${await service.logs()}`, { cause: error });
    } finally {
      await service.remove();
    }
  });

  it.concurrent("custom-preset builds with the pip-conf secret; the worker trusts the company CA as uid 10001; the secret is in no layer", { timeout: 240_000 }, async () => {
    const contextDir = await contextOf("custom-preset");
    const { image, tag } = await buildExample("custom-preset", contextDir, { "pip-conf": PIP_CONF });

    const engineSide = await engineConfig(engine, tag);
    expect(comparableEngineConfig(engineSide)).toEqual(comparableEvaluatedConfig(image.inspect(await baseConfig(engine, DEBIAN))));
    expect(engineSide.Labels).toMatchObject({ "org.opencontainers.image.vendor": "Example Corp", "com.example-corp.team": "payments" });

    expect(await runContainer(engine, tag)).toEqual({ exitCode: 0, output: "billing-worker: Example Corp CA trusted, running as uid 10001\n" });

    const stopped = await createContainer(engine, tag, { start: false });
    try {
      expect(await stopped.files("/etc/pip.conf")).toBeNull();
      const ca = await stopped.files("/usr/local/share/ca-certificates/example-corp");
      expect(ca?.map(({ path, type, uid }) => ({ path, type, uid }))).toEqual([
        { path: "example-corp", type: "dir", uid: 0 },
        { path: "example-corp/example-corp-root-ca.crt", type: "file", uid: 0 },
      ]);
      // update-ca-certificates linked it into the system store (and added it to the bundle the worker read).
      const store = (await stopped.files("/etc/ssl/certs")) ?? [];
      const linked = store.filter((entry) => entry.path === "certs/example-corp-root-ca.pem").map(({ type, link }) => ({ type, link }));
      expect(linked).toEqual([{ type: "symlink", link: "/usr/local/share/ca-certificates/example-corp/example-corp-root-ca.crt" }]);
    } finally {
      await stopped.remove();
    }
  });
});
