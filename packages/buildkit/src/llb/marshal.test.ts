import { Image } from "@chutes/image-core";
import type { ImageSpec } from "@chutes/image-core";
import { describe, expect, test } from "vitest";
import type { ExecOp, FileOp, Mount } from "../gen/pb/ops_pb.ts";
import { BUILDKIT_0_8_CAPS } from "./caps.ts";
import { LLBError } from "./errors.ts";
import type { BaseImage } from "./image-config.ts";
import { marshalLLB, parseChown, runArgs, urlFilename } from "./marshal.ts";
import type { MarshalOptions } from "./marshal.ts";
import { AMD64, baseImage, decode } from "./testing/fixtures.ts";

const DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const BUSYBOX = "local/busybox:latest";
const bases: Record<string, BaseImage> = {
  [BUSYBOX]: baseImage(),
  "python:3.11": baseImage({ Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"], Cmd: ["python3"], WorkingDir: "/srv", User: "app", Labels: { base: "yes" }, ExposedPorts: { "8080/tcp": {} } }, [{ created_by: "a" }, { created_by: "b" }]),
  "shell-base": baseImage({ Shell: ["/bin/bash", "-o", "pipefail", "-c"] }),
};

function busybox(): Image {
  return new Image("me", "app", "1").fromBase(BUSYBOX);
}

function marshal(image: Image | ImageSpec, options: Partial<MarshalOptions> = {}) {
  const spec = image instanceof Image ? image.toJSON() : image;
  return marshalLLB(spec, { baseConfigs: bases, platform: AMD64, ...options });
}

function execs(image: Image, options: Partial<MarshalOptions> = {}): ExecOp[] {
  return decode(marshal(image, options).definition).exec();
}

function lastExec(image: Image, options: Partial<MarshalOptions> = {}): ExecOp {
  const all = execs(image, options);
  const exec = all.at(-1);
  if (exec === undefined) throw new Error("no exec op");
  return exec;
}

function files(image: Image, options: Partial<MarshalOptions> = {}): FileOp[] {
  return decode(marshal(image, options).definition).file();
}

function thrown(fn: () => unknown): LLBError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LLBError);
    return error as LLBError;
  }
  throw new Error("expected an LLBError");
}

describe("run: args per form", () => {
  test("shell form: the folded line under the stage's shell", () => {
    expect(lastExec(busybox().runCommand("echo  a\n  && echo b")).meta?.args).toEqual(["/bin/sh", "-c", "echo  a && echo b"]);
    expect(lastExec(busybox().withShell(["/bin/ash", "-e", "-c"]).runCommand("true")).meta?.args).toEqual(["/bin/ash", "-e", "-c", "true"]);
    expect(lastExec(new Image("me", "app").fromBase("shell-base").runCommand("true")).meta?.args).toEqual(["/bin/bash", "-o", "pipefail", "-c", "true"]);
  });

  test("exec form: argv as is; script: one argument after the shell, or the interpreter and -c", () => {
    expect(lastExec(busybox().runCommand(["/bin/echo", "a b", "$HOME"])).meta?.args).toEqual(["/bin/echo", "a b", "$HOME"]);
    expect(lastExec(busybox().runScript("set -e\necho one\necho two\n")).meta?.args).toEqual(["/bin/sh", "-c", "set -e\necho one\necho two\n"]);
    expect(lastExec(busybox().runScript("print(1)", { interpreter: ["python3", "-u"] })).meta?.args).toEqual(["python3", "-u", "-c", "print(1)"]);
    expect(runArgs({ form: "shell", lines: ["a", "b"] }, ["/bin/sh", "-c"])).toEqual(["/bin/sh", "-c", "a b"]);
  });

  test("an empty command is refused with the step", () => {
    const spec = busybox().toJSON();
    const broken: ImageSpec = { ...spec, stages: [{ ...spec.stages[0]!, steps: [{ kind: "run", command: { form: "exec", argv: [] } }] }] };
    const error = thrown(() => marshal(broken));
    expect(error.code).toBe("invalid-step");
    expect(error.message).toBe('stage "app", step 0 (run): the command is empty; give a command to run');
  });
});

describe("run: environment, directory, user from the evaluator", () => {
  test("env is the evaluator's runEnv: the default PATH added, $PATH expanded, args with values included", () => {
    const exec = lastExec(busybox().withEnv("PATH", "/opt/bin:$PATH").withArg("VERSION", "1.2").withEnv("A", "x y").runCommand("true"));
    expect(exec.meta?.env).toEqual(["PATH=/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "VERSION=1.2", "A=x y"]);
  });

  test("a base image's PATH, workdir and user are used", () => {
    const exec = lastExec(new Image("me", "app").fromBase("python:3.11").withEnv("PATH", "/venv/bin:$PATH").runCommand("pip list"));
    // BuildKit's state env (llb.EnvList.AddOrReplace): a key set again moves to the end.
    expect(exec.meta?.env).toEqual(["LANG=C.UTF-8", "PATH=/venv/bin:/usr/local/bin:/usr/bin:/bin"]);
    expect(exec.meta?.cwd).toBe("/srv");
    expect(exec.meta?.user).toBe("app");
  });

  test("workdir chains resolve relative paths; user applies to later steps", () => {
    const exec = lastExec(busybox().setWorkdir("/srv").setWorkdir("app").setWorkdir("../lib").setUser("1000:1000").runCommand("pwd"));
    expect(exec.meta?.cwd).toBe("/srv/lib");
    expect(exec.meta?.user).toBe("1000:1000");
    expect(lastExec(busybox().runCommand("pwd")).meta).toMatchObject({ cwd: "/", user: "" });
  });

  test("build args override arg defaults", () => {
    expect(lastExec(busybox().withArg("V", "1").runCommand("true"), { buildArgs: { V: "2" } }).meta?.env).toContain("V=2");
  });
});

describe("run: network", () => {
  test("the step's network, else the option's; host needs the network.host entitlement", () => {
    const image = busybox().runCommand("a").runCommand("b", { network: "host" }).runCommand("c", { network: "none" }).runCommand("d", { network: "default" });
    expect(execs(image).map((e) => e.network)).toEqual([0, 1, 2, 0]);
    expect(execs(image, { network: "none" }).map((e) => e.network)).toEqual([2, 1, 2, 2]);
    expect(execs(image, { network: "host" }).map((e) => e.network)).toEqual([1, 1, 2, 1]);
    expect(marshal(image).entitlements).toEqual(["network.host"]);
    expect(marshal(busybox().runCommand("a"), { network: "none" }).entitlements).toEqual([]);
  });
});

describe("run: mounts", () => {
  const mounts = (image: Image, options: Partial<MarshalOptions> = {}): Mount[] => lastExec(image, options).mounts;

  test("cache: id `/` + (id or the cleaned target), as Docker's frontend; sharing; readonly; no output", () => {
    const image = busybox().runCommand("apt-get update", {
      mounts: [
        { type: "cache", target: "/var/cache/apt/" },
        { type: "cache", target: "/root/.cache/pip", id: "pip", sharing: "locked", readonly: true },
      ],
    });
    const [root, pip, apt] = mounts(image);
    expect(root).toMatchObject({ dest: "/", input: 0n, output: 0n });
    expect(pip).toMatchObject({ dest: "/root/.cache/pip", input: -1n, output: -1n, readonly: true, mountType: 3, cacheOpt: { id: "/pip", sharing: 2 } });
    expect(apt).toMatchObject({ dest: "/var/cache/apt/", input: -1n, output: -1n, readonly: false, mountType: 3, cacheOpt: { id: "//var/cache/apt", sharing: 0 } });
  });

  test("cache with uid/gid/mode: seeded from a mkdir of /cache on scratch, selector /cache", () => {
    const marshaled = marshal(busybox().runCommand("true", { mounts: [{ type: "cache", target: "/c", uid: 1000, gid: 1001, mode: "0700" }] }));
    const decoded = decode(marshaled.definition);
    const seed = decoded.file()[0];
    expect(seed?.actions[0]).toMatchObject({ input: -1n, secondaryInput: -1n, output: 0n, action: { case: "mkdir", value: { path: "/cache", mode: 0o700, makeParents: false, timestamp: -1n } } });
    expect(seed?.actions[0]?.action.value).toMatchObject({ owner: { user: { user: { case: "byId", value: 1000 } }, group: { user: { case: "byId", value: 1001 } } } });
    const exec = decoded.exec()[0];
    expect(exec?.mounts[1]).toMatchObject({ dest: "/c", input: 1n, selector: "/cache", mountType: 3, cacheOpt: { id: "//c" } });
    const seedDigest = decoded.ops.find((op) => op.op.op.case === "file")?.digest ?? "";
    expect(marshaled.definition.metadata?.[seedDigest]?.description).toEqual({ "llb.customname": "[internal] settings cache mount permissions" });
  });

  test("secret: default target /run/secrets/<id>, mode 0400, optional unless required; after the sorted mounts", () => {
    const image = busybox().runCommand("cat /run/secrets/token", {
      mounts: [
        { type: "secret", id: "token" },
        { type: "secret", id: "npmrc", target: "/root/.npmrc", required: true, mode: "0440", uid: 1, gid: 2 },
        { type: "tmpfs", target: "/tmp" },
      ],
    });
    const list = mounts(image);
    expect(list.map((m) => m.dest)).toEqual(["/", "/tmp", "/run/secrets/token", "/root/.npmrc"]);
    expect(list[2]).toMatchObject({ mountType: 1, secretOpt: { id: "token", mode: 0o400, uid: 0, gid: 0, optional: true } });
    expect(list[3]).toMatchObject({ mountType: 1, secretOpt: { id: "npmrc", mode: 0o440, uid: 1, gid: 2, optional: false } });
    expect(list[1]).toMatchObject({ mountType: 4, input: -1n, output: -1n });
  });

  test("a relative mount target resolves against the working directory", () => {
    const list = mounts(busybox().setWorkdir("/w").runCommand("true", { mounts: [{ type: "cache", target: "cache" }] }));
    expect(list[1]).toMatchObject({ dest: "/w/cache", cacheOpt: { id: "/cache" } });
  });

  test("a tmpfs size needs exec.mount.tmpfs.size, which BuildKit 0.8 lacks", () => {
    const image = busybox().runCommand("true", { mounts: [{ type: "tmpfs", target: "/t", size: 1048576 }] });
    const error = thrown(() => marshal(image));
    expect(error.code).toBe("unsupported-feature");
    expect(error.cap).toBe("exec.mount.tmpfs.size");
    expect(error.message).toBe(
      'stage "app", step 0 (run) needs a size limit on a tmpfs mount (LLB cap "exec.mount.tmpfs.size"), which BuildKit 0.8 (as in Docker 20.10) does not support; BuildKit 0.13 (Docker 26) and newer do. Upgrade the engine, or change the step.',
    );
    const tmpfs = mounts(image, { caps: [...BUILDKIT_0_8_CAPS, "exec.mount.tmpfs.size"] })[1];
    expect(tmpfs).toMatchObject({ mountType: 4, tmpfsOpt: { size: 1048576n } });
  });

  test("a secret as an environment variable: ExecOp.secretenv, a file only with a target; needs exec.secretenv", () => {
    const image = busybox().runCommand("true", {
      mounts: [
        { type: "secret", id: "hf", env: "HF_TOKEN" },
        { type: "secret", id: "npmrc", target: "/root/.npmrc", env: "NPM_RC", required: true },
      ],
    });
    const error = thrown(() => marshal(image));
    expect(error.cap).toBe("exec.secretenv");
    expect(error.message).toBe(
      'stage "app", step 0 (run) needs a secret exposed as an environment variable (`env` on a secret mount) (LLB cap "exec.secretenv"), which BuildKit 0.8 (as in Docker 20.10) does not support; BuildKit 0.13 (Docker 26) and newer do. Upgrade the engine, or change the step.',
    );
    const caps = [...BUILDKIT_0_8_CAPS, "exec.secretenv"];
    const exec = lastExec(image, { caps });
    expect(exec.secretenv.map(({ id, name, optional }) => ({ id, name, optional }))).toEqual([
      { id: "hf", name: "HF_TOKEN", optional: true },
      { id: "npmrc", name: "NPM_RC", optional: false },
    ]);
    expect(exec.mounts.map((m) => m.dest)).toEqual(["/", "/root/.npmrc"]);
    const marshaled = marshal(image, { caps });
    const execDigest = marshaled.digests.at(-2) ?? "";
    expect(Object.keys(marshaled.definition.metadata?.[execDigest]?.caps ?? {}).sort()).toEqual(["exec.meta.base", "exec.mount.secret", "exec.secretenv"]);
    // No secret, no cap: a plain run declares neither.
    expect(lastExec(busybox().runCommand("true")).secretenv).toEqual([]);
  });
});

describe("copy, add, copyFrom", () => {
  test("local sources: one local:// source for the step with exactly its paths, src rooted, dest resolved", () => {
    const marshaled = marshal(busybox().setWorkdir("/app").copy(["src/", "./requirements.txt", "src/*.py"], "lib/", { chown: "1000:1000", chmod: "0640" }));
    const decoded = decode(marshaled.definition);
    const local = decoded.source().find((s) => s.identifier.startsWith("local://"));
    expect(local?.identifier).toBe("local://context");
    const { "local.sharedkeyhint": hint, ...attrs } = local?.attrs ?? {};
    expect(attrs).toEqual({
      "local.followpaths": '["requirements.txt","src","src/*.py"]',
      "local.includepattern": '["requirements.txt","src","src/*.py"]',
    });
    expect(hint).toMatch(/^context:[0-9a-f]{16}$/);
    const copy = decoded.file().at(-1);
    expect(copy?.actions.map((a) => (a.action.case === "copy" ? a.action.value.src : ""))).toEqual(["/src", "/requirements.txt", "/src/*.py"]);
    expect(copy?.actions[0]?.action.value).toMatchObject({
      dest: "/app/lib/",
      mode: 0o640,
      followSymlink: true,
      dirCopyContents: true,
      attemptUnpackDockerCompatibility: false,
      createDestPath: true,
      allowWildcard: true,
      allowEmptyWildcard: false,
      timestamp: -1n,
      owner: { user: { user: { case: "byId", value: 1000 } }, group: { user: { case: "byId", value: 1000 } } },
    });
    expect(marshaled.locals).toEqual(["context"]);
  });

  test("add of a local path attempts Docker's archive unpacking; `.` reads the whole context", () => {
    const decoded = decode(marshal(busybox().add(".", "/ctx/")).definition);
    expect(decoded.source().find((s) => s.identifier === "local://context")?.attrs).toEqual({ "local.sharedkeyhint": "context" });
    expect(decoded.file().at(-1)?.actions[0]?.action.value).toMatchObject({ src: "/", dest: "/ctx/", attemptUnpackDockerCompatibility: true });
  });

  test("the same paths in two steps share one source (and one engine snapshot); different paths do not", () => {
    const decoded = decode(marshal(busybox().copy("a", "/a").copy("a", "/b").copy("b", "/c")).definition);
    const locals = decoded.source().filter((s) => s.identifier === "local://context");
    expect(locals).toHaveLength(2);
    expect(locals[0]?.attrs["local.sharedkeyhint"]).not.toBe(locals[1]?.attrs["local.sharedkeyhint"]);
  });

  test("a step with exclude reads its own filtered local (works on BuildKit 0.8)", () => {
    const marshaled = marshal(busybox().copy("a", "/a").copy("src", "/src", { exclude: ["**/*.pyc"] }));
    const identifiers = decode(marshaled.definition).source().map((s) => s.identifier);
    expect(identifiers).toContain("local://context:app:1");
    expect(marshaled.locals).toEqual(["context", "context:app:1"]);
    expect(decode(marshaled.definition).file().at(-1)?.actions[0]?.action.value).toMatchObject({ src: "/src", excludePatterns: [] });
  });

  test("chown by name: resolved in the destination's /etc/passwd (the action's own input)", () => {
    const copy = files(busybox().copy("a", "/a", { chown: "nobody:nogroup" })).at(-1);
    expect(copy?.actions[0]?.action.value).toMatchObject({
      owner: { user: { user: { case: "byName", value: { name: "nobody", input: 0n } } }, group: { user: { case: "byName", value: { name: "nogroup", input: 0n } } } },
    });
    expect(parseChown("root")).toEqual({ user: { id: 0 } });
    expect(parseChown("app")).toEqual({ user: { name: "app" } });
    expect(parseChown("1000:staff")).toEqual({ user: { id: 1000 }, group: { name: "staff" } });
    expect(parseChown(":50")).toEqual({ user: { id: 0 }, group: { id: 50 } });
  });

  test("a bad chmod is refused with the step", () => {
    const error = thrown(() => marshal(busybox().copy("a", "/a", { chmod: "u+x" })));
    expect(error.message).toBe('stage "app", step 0 (copy): chmod "u+x" is not an octal mode such as 755 or 0644');
  });

  test("URL sources: an http source named by the URL's last element, with the checksum; copied without unpacking", () => {
    const checksum = `sha256:${"1".repeat(64)}`;
    const decoded = decode(marshal(busybox().add("https://example.com/dl/tool.tar.gz?x=1", "/opt/", { checksum })).definition);
    const http = decoded.source().find((s) => s.identifier.startsWith("https://"));
    expect(http).toMatchObject({ identifier: "https://example.com/dl/tool.tar.gz?x=1", attrs: { "http.checksum": checksum, "http.filename": "tool.tar.gz" } });
    expect(decoded.file().at(-1)?.actions[0]?.action.value).toMatchObject({
      src: "/tool.tar.gz",
      dest: "/opt/",
      followSymlink: false,
      dirCopyContents: false,
      attemptUnpackDockerCompatibility: false,
      createDestPath: true,
      allowWildcard: false,
    });
    expect(urlFilename("https://example.com/")).toBe("__unnamed__");
    expect(urlFilename("https://example.com/a%20b")).toBe("a b");
    expect(urlFilename("https://example.com/dir/%zz")).toBe("__unnamed__");
    expect(urlFilename("https://example.com/dir/file.txt/")).toBe("file.txt");
  });

  test("git sources: git:// identifier without the scheme, full URL, auth secret names, keep-git-dir", () => {
    const decoded = decode(marshal(busybox().add("https://github.com/org/repo.git#v1.2", "/src", { keepGitDir: true }).add("git@github.com:org/other.git", "/other")).definition);
    const [https, ssh] = decoded.source().filter((s) => s.identifier.startsWith("git://"));
    expect(https).toEqual(
      expect.objectContaining({
        identifier: "git://github.com/org/repo.git#v1.2",
        attrs: { "git.authheadersecret": "GIT_AUTH_HEADER", "git.authtokensecret": "GIT_AUTH_TOKEN", "git.fullurl": "https://github.com/org/repo.git", "git.keepgitdir": "true" },
      }),
    );
    expect(ssh).toEqual(
      expect.objectContaining({
        identifier: "git://git@github.com/org/other.git",
        attrs: { "git.authheadersecret": "GIT_AUTH_HEADER", "git.authtokensecret": "GIT_AUTH_TOKEN", "git.fullurl": "git@github.com:org/other.git", "git.mountsshsock": "default" },
      }),
    );
    expect(decoded.file().at(-1)?.actions[0]?.action.value).toMatchObject({ src: "/", dest: "/other", createDestPath: true, dirCopyContents: false });
    expect(thrown(() => marshal(busybox().add("https://github.com/org/repo.git#main:docs", "/d"))).cap).toBe("source.git.subdir");
  });

  test("copyFrom: copies from the other stage's result; exclude needs file.copy.includeexcludepatterns", () => {
    const builder = new Image("me", "builder").fromBase(BUSYBOX).runCommand("make");
    const image = busybox().copyFrom(builder, ["/out/bin/", "/out/lib/*.so"], "/usr/local/");
    const marshaled = marshal(image);
    const decoded = decode(marshaled.definition);
    const builderExec = decoded.ops.find((op) => op.op.op.case === "exec");
    const copy = decoded.ops.at(-2)?.op;
    expect(copy?.inputs.map((i) => i.digest)).toEqual([decoded.ops[0]?.digest, builderExec?.digest]);
    expect((copy?.op.value as FileOp).actions.map((a) => (a.action.case === "copy" ? [a.action.value.src, a.action.value.dest, a.secondaryInput] : []))).toEqual([
      ["/out/bin", "/usr/local/", 1n],
      ["/out/lib/*.so", "/usr/local/", 1n],
    ]);
    const withExclude = busybox().copyFrom(builder, "/out", "/o", { exclude: ["*.a"] });
    const error = thrown(() => marshal(withExclude));
    expect(error).toMatchObject({ code: "unsupported-feature", cap: "file.copy.includeexcludepatterns", stage: "app", step: 0 });
    expect(error.message).toContain("exclude patterns on a copy from another stage");
    const modern = decode(marshal(withExclude, { caps: [...BUILDKIT_0_8_CAPS, "file.copy.includeexcludepatterns"] }).definition);
    expect(modern.file().at(-1)?.actions[0]?.action.value).toMatchObject({ src: "/out", excludePatterns: ["*.a"] });
  });

  test("copy refuses URL sources", () => {
    const error = thrown(() => marshal(busybox().copy("https://example.com/x", "/x")));
    expect(error.message).toBe('stage "app", step 0 (copy): source "https://example.com/x" is a URL; only add fetches those');
  });
});

describe("workdir", () => {
  test("creates the directory (parents too, 0755), owned by the config user as Docker does; `/` creates nothing", () => {
    const image = busybox().setWorkdir("/").setWorkdir("/srv/app").setUser("nobody").setWorkdir("data").setUser("1000").setWorkdir("/x/./y/");
    const mkdirs = files(image).map((f) => f.actions[0]?.action.value as { path: string; mode: number; makeParents: boolean; timestamp: bigint; owner?: unknown });
    expect(mkdirs.map((m) => [m.path, m.mode, m.makeParents, m.timestamp])).toEqual([
      ["/srv/app", 0o755, true, -1n],
      ["/srv/app/data", 0o755, true, -1n],
      ["/x/y", 0o755, true, -1n],
    ]);
    expect(mkdirs[0]?.owner).toBeUndefined();
    expect(mkdirs[1]?.owner).toMatchObject({ user: { user: { case: "byName", value: { name: "nobody", input: 0n } } } });
    expect(mkdirs[2]?.owner).toMatchObject({ user: { user: { case: "byId", value: 1000 } } });
    expect((mkdirs[2]?.owner as { group?: unknown }).group).toBeUndefined();
  });
});

describe("image config and history", () => {
  test("merges the evaluator's config onto the base's; one history entry per step, empty_layer for config-only steps", () => {
    const image = new Image("me", "app")
      .fromBase("python:3.11")
      .withEnv("APP", "1")
      .setWorkdir("app")
      .copy("src", ".")
      .runCommand("pip install .")
      .withLabel("org.example", "x")
      .exposePort(9000, "udp")
      .withEntrypoint(["python3", "-m", "app"])
      .withHealthcheck(["curl", "-f", "http://localhost"], { interval: "30s", retries: 3 })
      .withCmd(["--port", "9000"])
      .setUser("1000");
    const { config } = marshal(image);
    expect(config.config).toEqual({
      User: "1000",
      ExposedPorts: { "8080/tcp": {}, "9000/udp": {} },
      Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "APP=1"],
      Entrypoint: ["python3", "-m", "app"],
      Cmd: ["--port", "9000"],
      WorkingDir: "/srv/app",
      Labels: { base: "yes", "org.example": "x" },
      ArgsEscaped: true,
      Healthcheck: { Test: ["CMD", "curl", "-f", "http://localhost"], Interval: 30_000_000_000, Retries: 3 },
    });
    expect(config.rootfs).toEqual({ type: "layers", diff_ids: [] });
    expect(config).not.toHaveProperty("created");
    expect(config.history).toEqual([
      { created_by: "a" },
      { created_by: "b" },
      { created_by: "ENV APP=1", comment: "chutes-image.llb.v0", empty_layer: true },
      { created_by: "WORKDIR /srv/app", comment: "chutes-image.llb.v0" },
      { created_by: "COPY src /srv/app/", comment: "chutes-image.llb.v0" },
      { created_by: "RUN /bin/sh -c pip install .", comment: "chutes-image.llb.v0" },
      { created_by: "LABEL org.example=x", comment: "chutes-image.llb.v0", empty_layer: true },
      { created_by: "EXPOSE 9000/udp", comment: "chutes-image.llb.v0", empty_layer: true },
      { created_by: 'ENTRYPOINT ["python3","-m","app"]', comment: "chutes-image.llb.v0", empty_layer: true },
      { created_by: 'HEALTHCHECK --interval=30s --retries=3 CMD ["curl","-f","http://localhost"]', comment: "chutes-image.llb.v0", empty_layer: true },
      { created_by: 'CMD ["--port","9000"]', comment: "chutes-image.llb.v0", empty_layer: true },
      { created_by: "USER 1000", comment: "chutes-image.llb.v0", empty_layer: true },
    ]);
    // An entrypoint without a cmd in the stage resets the base's Cmd.
    expect(marshal(new Image("me", "app").fromBase("python:3.11").withEntrypoint(["x"])).config.config.Cmd).toBeUndefined();
  });

  test("scratch: WorkingDir `/` and the default PATH, as Docker's frontend writes them; the target platform", () => {
    const { config, definition } = marshal(new Image("me", "app").fromBase("scratch").copy("bin", "/bin"), { platform: { architecture: "arm64", os: "linux", variant: "v8" } });
    expect(config).toMatchObject({ architecture: "arm64", os: "linux", variant: "v8", config: { Env: [DEFAULT_PATH], WorkingDir: "/" } });
    expect(decode(definition).file()[0]?.actions[0]).toMatchObject({ input: -1n, secondaryInput: 0n });
  });

  test("a stage based on a stage inherits its layers' history and config", () => {
    const base = new Image("me", "base").fromBase(BUSYBOX).runCommand("make").withCmd(["x"]);
    const { config } = marshal(new Image("me", "app").fromBase(base).withLabel("a", "b"));
    expect(config.history?.map((h) => h.created_by)).toEqual([undefined, "RUN /bin/sh -c make", 'CMD ["x"]', "LABEL a=b"]);
    expect(config.config).toMatchObject({ Cmd: ["x"], ArgsEscaped: true, Labels: { a: "b" } });
  });

  test("a registry digest pins the image source; a local-store image stays a name", () => {
    const digest = `sha256:${"c".repeat(64)}`;
    const pinned = marshal(new Image("me", "app").fromBase("python:3.11"), { baseConfigs: { "python:3.11": baseImage({}, [], digest) } });
    expect(decode(pinned.definition).source()[0]?.identifier).toBe(`docker-image://docker.io/library/python:3.11@${digest}`);
    expect(decode(marshal(busybox()).definition).source()[0]?.identifier).toBe("docker-image://docker.io/local/busybox:latest");
  });

  test("a missing base config, and a base with ONBUILD triggers, are refused", () => {
    expect(thrown(() => marshal(new Image("me", "app").fromBase("ubuntu:24.04"))).code).toBe("missing-base-config");
    const error = thrown(() => marshal(new Image("me", "app").fromBase("onbuild"), { baseConfigs: { onbuild: baseImage({ OnBuild: ["RUN make"] }) } }));
    expect(error.code).toBe("unsupported-base");
    expect(error.message).toContain("ONBUILD");
  });
});

describe("result", () => {
  test("steps maps each op to its step; base sources and stages nobody uses are left out", () => {
    const unused = new Image("me", "unused").fromBase(BUSYBOX).runCommand("never");
    const spec = busybox().runCommand("a").copy("f", "/f").toJSON();
    const withUnused: ImageSpec = { ...spec, stages: [unused.toJSON().stages[0]!, ...spec.stages] };
    const marshaled = marshal(withUnused);
    const decoded = decode(marshaled.definition);
    expect(decoded.exec().map((e) => e.meta?.args.at(-1))).toEqual(["a"]);
    expect(Object.values(marshaled.steps)).toEqual([
      { stage: "app", step: 0 },
      { stage: "app", step: 1 },
      { stage: "app", step: 1 },
    ]);
    expect(marshaled.digests).toEqual(decoded.ops.map((op) => op.digest));
    expect(marshaled.definition.metadata?.[marshaled.digests[1] ?? ""]?.description).toEqual({ "llb.customname": "[app 2/3] RUN a" });
  });

  test("an image of configuration only on scratch has no ops", () => {
    const marshaled = marshal(new Image("me", "app").fromBase("scratch").withEnv("A", "1"));
    expect(marshaled.definition.def).toEqual([]);
    expect(marshaled.config.config.Env).toEqual([DEFAULT_PATH, "A=1"]);
  });
});
