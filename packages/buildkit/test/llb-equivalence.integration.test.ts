// The proof that the two back ends agree (DESIGN.md section 5, issue 5 section 3): every image below is built through
// BuildKit's Dockerfile frontend (the text @chutes/dockerfile renders) and through the LLB back end, on engine A
// (Docker 20.10, BuildKit 0.8) and engine B (Docker 26, BuildKit 0.13), each without the cache (`noCache`), so both
// really ran. Then the image configs (`GET /images/<id>/json` -> Config) must be equal, and so must the file trees,
// exported through the tar exporter and listed with path, type, mode, owner, size, link target and content hash;
// mtimes are the only thing ignored (plus the paths listed in IGNORED, each with its reason).
// CHUTES_ENGINE=a|b|all; skips when no engine answers and CI is unset, fails under CI=true.

import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image, evaluate } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTree, treeLines } from "@chutes/test-support/tar-listing";
import fc from "fast-check";
import type { ImageConfig } from "@chutes/image-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build, connectBuildKit } from "../src/index.ts";
import type { BuildKitClient } from "../src/index.ts";
import { llbBackend } from "../src/llb/backend.ts";
import { evaluatorBaseConfig } from "../src/llb/image-config.ts";
import { resolveBaseConfigs } from "../src/llb/resolve.ts";

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);
const BUSYBOX = "local/busybox:latest";
const DEBIAN = "local/debian:bookworm-minbase";
const SECRETS = { token: "s3cr3t-value" };

/**
 * Paths whose contents legitimately differ between two builds of the same step, whichever the back end: files
 * that record the time they were written. Anything else that differs is a bug in one of the back ends.
 */
const IGNORED: Readonly<Record<string, { readonly paths: RegExp; readonly reason: string }>> = {
  apt: {
    paths: /^var\/(log\/(apt\/(eipp\.log\.xz|history\.log|term\.log)|dpkg\.log|alternatives\.log)|cache\/apt\/(src)?pkgcache\.bin)$/,
    reason:
      "apt and dpkg logs carry the time of the install, and apt's binary caches (pkgcache.bin, srcpkgcache.bin) the " +
      "modification times of the package lists `apt-get update` just downloaded",
  },
};

interface Case {
  readonly name: string;
  readonly network: "none" | "host";
  readonly image: (base: string) => Image;
}

const CASES: readonly Case[] = [
  {
    name: "env",
    network: "none",
    image: (base) =>
      new Image("chutes-test", "llb-eq-env")
        .fromBase(base)
        .withEnv("PATH", "/opt/tools/bin:$PATH")
        .withEnv("GREETING", "hello world")
        .withEnv("MIXED", "a 'b' \"c\" \\$HOME ${GREETING:-x} ${UNSET:-fallback} ${GREETING:+set}")
        .withEnv("FROM_BASE", "${BASE_VAR}-x")
        .withEnv("UNICODE", "héllo wörld ✓")
        .withArg("BUILD_ARG", "arg-default")
        .withEnv("FROM_ARG", "$BUILD_ARG")
        .runCommand('echo "$PATH|$GREETING|$MIXED|$FROM_BASE|$UNICODE|$FROM_ARG|$BUILD_ARG" > /env.txt && env | sort > /env-all.txt'),
  },
  {
    name: "workdir-user",
    network: "none",
    image: (base) =>
      new Image("chutes-test", "llb-eq-workdir")
        .fromBase(base)
        .setWorkdir("sub")
        .runCommand("pwd > pwd.txt")
        .setWorkdir("/srv/app")
        .setWorkdir("../lib")
        .runCommand("pwd > /lib-pwd.txt")
        .setUser("nobody")
        .setWorkdir("/home/nobody/work")
        .runCommand("id > /tmp/id.txt && touch mine")
        .setUser("1000:1000")
        .setWorkdir("/owned/by/uid")
        .setUser("root")
        .setWorkdir("/")
        .setUser("1000"),
  },
  {
    name: "config",
    network: "none",
    image: (base) =>
      new Image("chutes-test", "llb-eq-config")
        .fromBase(base)
        .withArg("BUILD_ID", "42")
        .withLabel("org.example.build", "$BUILD_ID")
        .withLabel("a.b", "c d")
        .withLabel("empty", "")
        .exposePort(80)
        .exposePort(53, "udp")
        .withHealthcheck(["wget", "-q", "-O-", "http://localhost"], { interval: "10s", timeout: "3s", startPeriod: "5s", retries: 2 })
        .withEntrypoint(["/bin/sh", "-c"])
        .withCmd(["echo hi"])
        .withShell(["/bin/sh", "-e", "-c"])
        .runCommand("echo shell > /shell.txt"),
  },
  {
    name: "config-inherited",
    network: "none",
    image: (base) => new Image("chutes-test", "llb-eq-inherited").fromBase(base).withEntrypoint(["/bin/echo"]).withHealthcheck(null).withLabel("more", "1"),
  },
  {
    name: "copy",
    network: "none",
    image: (base) =>
      new Image("chutes-test", "llb-eq-copy")
        .fromBase(base)
        .copy("requirements.txt", "/app/")
        .copy("app", "/srv/app")
        .copy("app/", "/srv/app-slash/")
        .setWorkdir("/work")
        .copy("data/*.txt", "txt/")
        .copy(["bin/tool.sh", "data/c.md"], "/opt/misc/", { chown: "1000:1000", chmod: "750" })
        .copy("app", "owned/", { chown: "nobody:nogroup" })
        .copy("data/link", "/linked")
        .copy("data", "/data-all")
        .copy("emptydir", "/empty")
        .copy("requirements.txt", "renamed.txt", { chmod: "0600" })
        .add("archive.tar.gz", "/extracted/")
        .add("app/main.py", "/added/main.py"),
  },
  {
    name: "multi-stage",
    network: "none",
    image: (base) => {
      const builder = new Image("chutes-test", "llb-eq-builder")
        .fromBase(BUSYBOX)
        .setWorkdir("/out")
        .runCommand("mkdir -p bin data && echo tool > bin/tool && chmod 755 bin/tool && echo d > data/file && ln -s tool bin/alias")
        .copy("app", "src");
      return new Image("chutes-test", "llb-eq-multi")
        .fromBase(base)
        .copyFrom(builder, "/out/bin/", "/usr/local/bin/")
        .copyFrom(builder, "/out/data/file", "/data/renamed")
        .copyFrom(builder, "out/src", "/from-src", { chown: "1000:1000" })
        .copyFrom(builder, "/out/*/file", "/globbed/");
    },
  },
  {
    name: "mounts",
    network: "none",
    image: (base) =>
      new Image("chutes-test", "llb-eq-mounts")
        .fromBase(base)
        .runCommand("echo cached > /cache/x && cp /cache/x /from-cache.txt", { mounts: [{ type: "cache", target: "/cache", id: `eq-${nonce}` }] })
        .runCommand("stat -c '%a %u %g' /c2 > /perm.txt", { mounts: [{ type: "cache", target: "/c2", id: `eq2-${nonce}`, uid: 1000, gid: 1000, mode: "0700", sharing: "locked" }] })
        .runCommand("touch /t/x && ls /t > /tmpfs.txt", { mounts: [{ type: "tmpfs", target: "/t" }] })
        .runCommand("wc -c < /run/secrets/token > /secret-len.txt", { mounts: [{ type: "secret", id: "token", required: true }] })
        .runCommand(["/bin/sh", "-c", "echo exec form > /exec.txt"])
        .runScript("echo line1 > /script.txt\necho line2 >> /script.txt")
        .runScript("echo $0 > /interp.txt", { interpreter: ["/bin/sh"] }),
  },
  {
    name: "scratch",
    network: "none",
    image: () => new Image("chutes-test", "llb-eq-scratch").fromBase("scratch").copy("bin/tool.sh", "/tool.sh").copy("app", "/app").withEntrypoint(["/tool.sh"]),
  },
  {
    name: "add-url",
    network: "none",
    image: (base) => new Image("chutes-test", "llb-eq-url").fromBase(base).add("http://deb.debian.org/debian/README", "/docs/").add("http://deb.debian.org/debian/dists/bookworm/Release", "/docs/release", { chmod: "600" }),
  },
  {
    name: "apt",
    network: "host",
    image: () => new Image("chutes-test", "llb-eq-apt").fromBase(DEBIAN).aptInstall(["hello"]).runCommand("hello > /hello.txt"),
  },
];

// Fuzz: random env values, labels, entrypoint and cmd arguments, workdirs and users (quotes, backslashes, `$`,
// spaces, unicode) through both back ends; a fixed seed, so a failure reproduces. Values Docker cannot carry in a
// Dockerfile (the renderer refuses them) or that do not expand are skipped and counted.
const FUZZ_SEED = 20261129;
const FUZZ_RUNS = 32;
const fuzzText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 16 }),
  fc.constantFrom("a b", "'single'", '"double"', "back\\slash", "$HOME", "${A:-x}", "${A:+y}", "\\$literal", "tab\there", "ünïcødé ✓", "", " lead", "trail ", "a=b", "50%"),
);
const fuzzKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
const fuzzImage = fc
  .record({
    env: fc.array(fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), fuzzText, fc.boolean()), { maxLength: 4 }),
    labels: fc.array(fc.tuple(fuzzKey, fuzzText), { maxLength: 3 }),
    workdirs: fc.array(fc.constantFrom("/srv", "app", "../x", "dir with space", "ü/ñ", "/a/./b/"), { maxLength: 3 }),
    user: fc.option(fc.constantFrom("nobody", "1000", "1000:1000", "nobody:nogroup", "$UNSET_USER"), { nil: undefined }),
    entrypoint: fc.option(fc.array(fuzzText, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    cmd: fc.option(fc.array(fuzzText, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  })
  .map((r) => {
    let image = new Image("chutes-test", "llb-eq-fuzz").fromBase(BUSYBOX);
    for (const [key, value, literal] of r.env) image = image.withEnv(key, value, { literal });
    for (const [key, value] of r.labels) image = image.withLabel(key, value, { literal: true });
    for (const dir of r.workdirs) image = image.setWorkdir(dir);
    if (r.user !== undefined) image = image.setUser(r.user);
    if (r.entrypoint !== undefined) image = image.withEntrypoint(r.entrypoint);
    if (r.cmd !== undefined) image = image.withCmd(r.cmd);
    return image;
  });

/** Which cases build on the derived base (with a config of its own) instead of plain busybox. */
const ON_DERIVED_BASE = new Set(["env", "workdir-user", "config-inherited", "multi-stage"]);

async function makeContext(dir: string): Promise<void> {
  const files: Record<string, string> = {
    "app/main.py": "print('main')\n",
    "app/util/helpers.py": "def help(): pass\n",
    "app/util/cache.pyc": "\u0000compiled",
    "requirements.txt": "requests==2.0\n",
    "data/a.txt": "alpha\n",
    "data/b.txt": "bravo\n",
    "data/c.md": "# charlie\n",
    "bin/tool.sh": "#!/bin/sh\necho tool\n",
    "pkg/one.txt": "one\n",
    "pkg/two/three.txt": "three\n",
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
    await chmod(join(dir, path), 0o644);
  }
  await chmod(join(dir, "bin/tool.sh"), 0o755);
  await chmod(join(dir, "pkg/two/three.txt"), 0o600);
  await symlink("a.txt", join(dir, "data/link"));
  await mkdir(join(dir, "emptydir"));
  execFileSync("tar", ["-czf", join(dir, "archive.tar.gz"), "-C", dir, "--owner=0", "--group=0", "pkg"]);
  await rm(join(dir, "pkg"), { recursive: true });
}

interface Inspected {
  readonly Id: string;
  readonly Config: Record<string, unknown>;
  readonly RootFS: { readonly Layers: readonly string[] };
}

async function inspect(engine: TestEngine, name: string): Promise<Inspected> {
  const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/json`);
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body) as Inspected;
}

async function history(engine: TestEngine, name: string): Promise<{ CreatedBy: string; Size: number }[]> {
  const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(name)}/history`);
  return JSON.parse(reply.body) as { CreatedBy: string; Size: number }[];
}

/** The fields of Config the comparison covers: all of them, `Image` (a parent id, empty for BuildKit) aside. */
function configFields(config: Record<string, unknown>): Record<string, unknown> {
  const { Image: _image, ...rest } = config;
  return rest;
}

/** What the IR says, in the shape `docker inspect` shows (empty lists and maps are null or absent there). */
function expectedFromIR(config: ImageConfig): Record<string, unknown> {
  return {
    Env: config.Env,
    Entrypoint: config.Entrypoint,
    Cmd: config.Cmd,
    User: config.User,
    Labels: Object.keys(config.Labels).length === 0 ? null : config.Labels,
    ...(Object.keys(config.ExposedPorts).length === 0 ? {} : { ExposedPorts: config.ExposedPorts }),
    ...(config.Healthcheck === undefined ? {} : { Healthcheck: config.Healthcheck }),
  };
}

describe.each(engines)("$label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  let client: BuildKitClient | undefined;
  let work = "";
  let contextDir = "";
  const images: string[] = [];
  const derivedBase = `chutes-test/llb-eq-base:${engine.id}-${nonce}`;
  const timings: string[] = [];

  beforeAll(async () => {
    if (!up) return;
    client = await connectBuildKit({ address: engine.address });
    work = await mkdtemp(join(tmpdir(), `chutes-llb-eq-${engine.id}-`));
    contextDir = join(work, "context");
    await mkdir(contextDir);
    await makeContext(contextDir);
    // A base with a config of its own (built through the Dockerfile frontend), so inheritance is compared too.
    const base = new Image("chutes-test", "llb-eq-base", `${engine.id}-${nonce}`)
      .fromBase(BUSYBOX)
      .withEnv("BASE_VAR", "from base")
      .withEnv("PATH", "/base/bin:$PATH")
      .setWorkdir("/base")
      .withLabel("base.label", "yes")
      .exposePort(1234)
      .withEntrypoint(["/bin/sh", "-c"])
      .withCmd(["echo base"])
      .withHealthcheck(["true"], { interval: "1m" });
    images.push(`docker.io/${derivedBase}`);
    await build(base, { engine: client, contextDir, dockerfile: renderDockerfile(base), tags: [derivedBase], network: "none" });
  }, 120_000);

  afterAll(async () => {
    if (!up || client === undefined) return;
    for (const image of images) await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`);
    const records = await client.control.diskUsage();
    const ours = records.filter((r) => r.description.includes(nonce)).map((r) => `id==${r.id}`);
    if (ours.length > 0) await client.control.prune({ filters: ours });
    await client.close();
    if (work !== "") await rm(work, { recursive: true, force: true });
    console.log(`${engine.label}, equivalence timings (Dockerfile / LLB build, no cache):\n  ${timings.join("\n  ")}`);
  });

  async function exportTree(c: BuildKitClient, name: string, file: string): Promise<string[]> {
    // The image's root file system through the tar exporter: an LLB build of just `docker-image://<name>`.
    await build(new Image("chutes-test", "export").fromBase(name), { engine: c, contextDir, backend: llbBackend, exporter: { type: "tar", file } });
    return treeLines(listTree(await readFile(file)));
  }

  test.skipIf(!up && !ci).each(CASES)("$name: same config and same file tree from both back ends", async ({ name, network, image: make }) => {
    if (!up || client === undefined) {
      throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    }
    const c = client;
    const image = make(ON_DERIVED_BASE.has(name) ? derivedBase : BUSYBOX);
    const spec = image.toJSON();
    const dockerfile = renderDockerfile(image);
    const tag = (backEnd: string) => `docker.io/chutes-test/llb-eq:${engine.id}-${nonce}-${name}-${backEnd}`;
    images.push(tag("dockerfile"), tag("llb"));
    const common = { engine: c, contextDir, network, secrets: SECRETS, noCache: true } as const;

    let started = performance.now();
    const viaDockerfile = await build(image, { ...common, dockerfile, tags: [tag("dockerfile")] });
    const dockerfileMs = performance.now() - started;
    started = performance.now();
    const viaLLB = await build(image, { ...common, backend: llbBackend, tags: [tag("llb")] });
    const llbMs = performance.now() - started;
    timings.push(`${name}: ${Math.round(dockerfileMs)} ms / ${Math.round(llbMs)} ms`);

    // The image config: every field of Config.
    const [df, llb] = await Promise.all([inspect(engine, tag("dockerfile")), inspect(engine, tag("llb"))]);
    expect(df.Id).toBe(viaDockerfile.imageId);
    expect(llb.Id).toBe(viaLLB.imageId);
    expect(configFields(llb.Config)).toEqual(configFields(df.Config));

    // ... and it is what the IR says.
    const resolved = await resolveBaseConfigs(c, spec, { platform: { architecture: "amd64", os: "linux" } });
    const evaluated = evaluate(spec, { baseConfig: (ref) => evaluatorBaseConfig(resolved[ref]?.config.config) }).config;
    expect(llb.Config).toMatchObject(expectedFromIR(evaluated));
    if (evaluated.WorkingDir !== "") expect(llb.Config.WorkingDir).toBe(evaluated.WorkingDir);

    // The same layers, each with a readable history entry (no `mount / from exec …` filled in by the exporter).
    expect(llb.RootFS.Layers.length).toBe(df.RootFS.Layers.length);
    const llbHistory = await history(engine, tag("llb"));
    expect(llbHistory.length).toBe((await history(engine, tag("dockerfile"))).length);
    expect(llbHistory.map((h) => h.CreatedBy).join("\n")).not.toMatch(/mount \/ from exec|fileop target/);

    // The file trees.
    const [dfTree, llbTree] = await Promise.all([
      exportTree(c, tag("dockerfile"), join(work, `${name}-dockerfile.tar`)),
      exportTree(c, tag("llb"), join(work, `${name}-llb.tar`)),
    ]);
    const ignored = IGNORED[name];
    const keep = (line: string): boolean => ignored?.paths.test(line.split(" ")[0] ?? "") !== true;
    expect(llbTree.filter(keep)).toEqual(dfTree.filter(keep));
    expect(llbTree.length).toBeGreaterThan(0);
  }, 180_000);

  test.skipIf(!up && !ci)(`fuzz: ${FUZZ_RUNS} random configs (seed ${FUZZ_SEED}) come out the same through both back ends and as the IR says`, async () => {
    if (!up || client === undefined) throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}`);
    const c = client;
    let built = 0;
    const skipped: string[] = [];
    for (const [index, image] of fc.sample(fuzzImage, { seed: FUZZ_SEED, numRuns: FUZZ_RUNS }).entries()) {
      let dockerfile: string;
      let expected: ImageConfig;
      try {
        if (image.validate().length > 0) throw new Error(image.validate()[0]?.message);
        dockerfile = renderDockerfile(image);
        expected = evaluate(image.toJSON(), { baseConfig: {} }).config;
      } catch (error) {
        skipped.push(`#${index}: ${(error as Error).message.slice(0, 80)}`);
        continue;
      }
      const tag = (backEnd: string) => `docker.io/chutes-test/llb-eq-fuzz:${engine.id}-${nonce}-${index}-${backEnd}`;
      images.push(tag("dockerfile"), tag("llb"));
      await build(image, { engine: c, contextDir, dockerfile, tags: [tag("dockerfile")], network: "none" });
      await build(image, { engine: c, contextDir, backend: llbBackend, tags: [tag("llb")], network: "none" });
      const [df, llb] = await Promise.all([inspect(engine, tag("dockerfile")), inspect(engine, tag("llb"))]);
      expect(configFields(llb.Config), `case #${index}:\n${dockerfile}`).toEqual(configFields(df.Config));
      expect(llb.Config, `case #${index}:\n${dockerfile}`).toMatchObject(expectedFromIR(expected));
      built++;
    }
    console.log(`${engine.label}: fuzz built ${built} of ${FUZZ_RUNS} random images through both back ends; skipped ${skipped.length}${skipped.length === 0 ? "" : `: ${skipped.join("; ")}`}`);
    expect(built).toBeGreaterThan(FUZZ_RUNS / 2);
  }, 300_000);
});
