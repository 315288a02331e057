// The bytes of single ops, as Go's llb writes them (buildkit-wire.md section 3, buildkit-gateway-proof.md "Byte
// level"): the exact encodings the engines accepted.

import { createHash } from "node:crypto";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, test } from "vitest";
import { busyboxExec } from "../../test/support/definition.ts";
import { OpSchema } from "../gen/pb/ops_pb.ts";
import { collectDefinition } from "./definition.ts";
import { execOp, fileOp, httpSource, imageSource, localSource, terminalOp } from "./ops.ts";
import type { Vertex } from "./ops.ts";
import { AMD64 } from "./testing/fixtures.ts";

const hex = (text: string): string => Buffer.from(text, "utf8").toString("hex");
const sha = (bytes: Uint8Array): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const bytesHex = (vertex: Vertex): string => Buffer.from(vertex.bytes).toString("hex");
const PLATFORM_HEX = `520e0a05${hex("amd64")}1205${hex("linux")}`;
const CONSTRAINTS_HEX = "5a00";
const MINUS_ONE = "ffffffffffffffffff01";

describe("image source", () => {
  const busybox = imageSource("docker.io/local/busybox:latest", AMD64);

  test("is the identifier, the platform and an empty constraints message, byte for byte", () => {
    const identifier = "docker-image://docker.io/local/busybox:latest";
    expect(bytesHex(busybox)).toBe(`1a2f0a2d${hex(identifier)}${PLATFORM_HEX}${CONSTRAINTS_HEX}`);
    expect(busybox.bytes.length).toBe(67);
    expect(busybox.digest).toBe(sha(busybox.bytes));
    expect(busybox.caps).toEqual(["source.image"]);
  });

  test("equals the hand-encoded busybox source the engines ran (test/support/definition.ts)", () => {
    expect(busybox.digest).toBe(busyboxExec("x").sourceDigest);
  });

  test("the Debian base source is 76 bytes, as in the gateway proof", () => {
    expect(imageSource("docker.io/local/debian:bookworm-minbase", AMD64).bytes.length).toBe(76);
  });

  test("writes a variant when the platform has one", () => {
    const arm = imageSource("docker.io/library/alpine:3", { architecture: "arm64", os: "linux", variant: "v8" });
    expect(fromBinary(OpSchema, arm.bytes).platform).toMatchObject({ architecture: "arm64", os: "linux", variant: "v8" });
  });
});

describe("terminal op", () => {
  test("holds only inputs[0]: 75 bytes", () => {
    const source = imageSource("docker.io/local/busybox:latest", AMD64);
    const terminal = terminalOp({ vertex: source, index: 0 });
    expect(bytesHex(terminal)).toBe(`0a490a47${hex(source.digest)}`);
    expect(terminal.bytes.length).toBe(75);
    expect(terminal.caps).toEqual(["constraints", "platform"]);
  });
});

describe("local, http sources", () => {
  test("local: no platform, attrs sorted byte-wise, every attr with its cap", () => {
    const local = localSource("context", { "local.sharedkeyhint": "context", "local.includepattern": '["a"]', "local.followpaths": '["a"]' });
    const op = fromBinary(OpSchema, local.bytes);
    expect(op.platform).toBeUndefined();
    expect(op.op.case).toBe("source");
    const source = op.op.value as { identifier: string; attrs: Record<string, string> };
    expect(source.identifier).toBe("local://context");
    expect(Object.keys(source.attrs)).toEqual(["local.followpaths", "local.includepattern", "local.sharedkeyhint"]);
    // Map entries in key order, each with key (1) and value (2).
    const text = Buffer.from(local.bytes).toString("latin1");
    expect(text.indexOf("local.followpaths")).toBeLessThan(text.indexOf("local.includepattern"));
    expect(local.caps).toEqual(["source.local", "source.local.followpaths", "source.local.includepatterns", "source.local.sharedkeyhint"]);
    // Insertion order does not matter.
    expect(localSource("context", { "local.followpaths": '["a"]', "local.sharedkeyhint": "context", "local.includepattern": '["a"]' }).digest).toBe(local.digest);
  });

  test("http: the URL is the identifier, filename and checksum attrs", () => {
    const http = httpSource("https://example.com/a/file.tar.gz", { filename: "file.tar.gz", checksum: `sha256:${"0".repeat(64)}` });
    const op = fromBinary(OpSchema, http.bytes);
    expect(op.op.value).toMatchObject({ identifier: "https://example.com/a/file.tar.gz", attrs: { "http.checksum": `sha256:${"0".repeat(64)}`, "http.filename": "file.tar.gz" } });
    expect(http.caps).toEqual(["source.http", "source.http.checksum"]);
  });
});

describe("exec op", () => {
  const root = { vertex: imageSource("docker.io/local/busybox:latest", AMD64), index: 0 };
  const seed = { vertex: fileOp(undefined, [{ type: "mkdir", path: "/cache", mode: 0o755, makeParents: false }], AMD64), index: 0 };

  test("the root mount is `1a 01 2f` (input 0 and output 0 omitted); Meta is args, env, cwd, user, removeMountStubsRecursive", () => {
    const exec = execOp({ root, args: ["/bin/sh", "-c", "true"], env: ["PATH=/bin"], cwd: "/", user: "", mounts: [], network: "none", platform: AMD64 });
    const input = `0a490a47${hex(root.vertex.digest)}`;
    const meta = `0a07${hex("/bin/sh")}0a02${hex("-c")}0a04${hex("true")}1209${hex("PATH=/bin")}1a01${hex("/")}5801`;
    const execBody = `0a${(meta.length / 2).toString(16)}${meta}12031a012f1802`;
    expect(bytesHex(exec)).toBe(`${input}12${(execBody.length / 2).toString(16)}${execBody}${PLATFORM_HEX}${CONSTRAINTS_HEX}`);
    expect(exec.caps).toEqual(["exec.meta.base", "exec.meta.network"]);
  });

  test("mounts: root, then the others sorted by destination, then secrets as given; cache and tmpfs have no output", () => {
    const exec = execOp({
      root,
      args: ["true"],
      env: [],
      cwd: "/",
      user: "",
      network: "sandbox",
      platform: AMD64,
      mounts: [
        { type: "tmpfs", dest: "/z" },
        { type: "secret", dest: "/run/secrets/b", id: "b", uid: 0, gid: 0, mode: 0o400, optional: true },
        { type: "cache", dest: "/m", id: "/m", sharing: "locked", readonly: false, source: seed, selector: "/cache" },
        { type: "cache", dest: "/a", id: "/a", sharing: "shared", readonly: true },
        { type: "secret", dest: "/run/secrets/a", id: "a", uid: 1, gid: 2, mode: 0o440, optional: false },
      ],
    });
    const op = fromBinary(OpSchema, exec.bytes);
    const value = op.op.value as { mounts: { dest: string; input: bigint; output: bigint; mountType: number; selector: string; readonly: boolean }[] };
    expect(value.mounts.map((m) => m.dest)).toEqual(["/", "/a", "/m", "/z", "/run/secrets/b", "/run/secrets/a"]);
    expect(value.mounts.map((m) => [m.input, m.output])).toEqual([
      [0n, 0n],
      [-1n, -1n],
      [1n, -1n],
      [-1n, -1n],
      [0n, 0n],
      [0n, 0n],
    ]);
    expect(value.mounts.map((m) => m.mountType)).toEqual([0, 3, 3, 4, 1, 1]);
    expect(value.mounts[1]?.readonly).toBe(true);
    expect(value.mounts[2]?.selector).toBe("/cache");
    expect(op.inputs.map((i) => i.digest)).toEqual([root.vertex.digest, seed.vertex.digest]);
    expect(exec.inputs).toEqual([root.vertex, seed.vertex]);
    expect(exec.caps).toEqual(["exec.meta.base", "exec.mount.cache", "exec.mount.cache.sharing", "exec.mount.secret", "exec.mount.selector", "exec.mount.tmpfs"]);
    // The secret mount with uid 1, gid 2, mode 0o440 (varint a0 02), not optional (omitted).
    expect(bytesHex(exec)).toContain("aa010a0a01611001180220a002");
  });

  test("host networking is NetMode 1, with the network cap", () => {
    const exec = execOp({ root, args: ["true"], env: [], cwd: "/", user: "", mounts: [], network: "host", platform: AMD64 });
    expect((fromBinary(OpSchema, exec.bytes).op.value as { network: number }).network).toBe(1);
    const sandbox = execOp({ root, args: ["true"], env: [], cwd: "/", user: "", mounts: [], network: "sandbox", platform: AMD64 });
    expect((fromBinary(OpSchema, sandbox.bytes).op.value as { network: number }).network).toBe(0);
    expect(sandbox.caps).toEqual(["exec.meta.base"]);
  });
});

describe("file op", () => {
  const base = { vertex: imageSource("docker.io/local/busybox:latest", AMD64), index: 0 };
  const one = { vertex: localSource("context", {}), index: 0 };
  const two = { vertex: httpSource("https://example.com/x", { filename: "x" }), index: 0 };
  const copy = (source: typeof one, src: string) =>
    ({
      type: "copy",
      source,
      src,
      dest: "/app/",
      followSymlink: true,
      dirCopyContents: true,
      attemptUnpack: false,
      createDestPath: true,
      allowWildcard: true,
      allowEmptyWildcard: false,
    }) as const;

  test("chains actions: inputs are the base then each secondary; action k reads len(inputs)+k-1; only the last has output 0", () => {
    const file = fileOp(base, [copy(one, "/a"), copy(two, "/x"), copy(one, "/b")], AMD64);
    const op = fromBinary(OpSchema, file.bytes);
    expect(op.inputs.map((i) => i.digest)).toEqual([base.vertex.digest, one.vertex.digest, two.vertex.digest]);
    const actions = (op.op.value as { actions: { input: bigint; secondaryInput: bigint; output: bigint }[] }).actions;
    expect(actions.map((a) => [a.input, a.secondaryInput, a.output])).toEqual([
      [0n, 1n, -1n],
      [3n, 2n, -1n],
      [4n, 1n, 0n],
    ]);
  });

  test("on scratch the first action's input is -1 (a 10-byte varint)", () => {
    const file = fileOp(undefined, [copy(one, "/a")], AMD64);
    const op = fromBinary(OpSchema, file.bytes);
    expect(op.inputs.map((i) => i.digest)).toEqual([one.vertex.digest]);
    const action = (op.op.value as { actions: { input: bigint; secondaryInput: bigint; output: bigint }[] }).actions[0];
    expect([action?.input, action?.secondaryInput, action?.output]).toEqual([-1n, 0n, 0n]);
    // input -1, then secondaryInput 0 and output 0 omitted: the copy (field 4) follows at once.
    expect(bytesHex(file)).toContain(`123608${MINUS_ONE}22`);
  });

  test("copy: mode and timestamp -1 are 10-byte varints; flags in field order", () => {
    const file = fileOp(base, [copy(one, "/src")], AMD64);
    const copyHex = `0a04${hex("/src")}1205${hex("/app/")}20${MINUS_ONE}280130014001480158${MINUS_ONE}`;
    expect(bytesHex(file)).toContain(copyHex);
  });

  test("chown by name reads /etc/passwd of the action's own input; ids are oneof members written even at 0", () => {
    const file = fileOp(base, [copy(one, "/a"), { ...copy(one, "/b"), owner: { user: { name: "nobody" }, group: { id: 0 } } }], AMD64);
    const op = fromBinary(OpSchema, file.bytes);
    const second = (op.op.value as { actions: { input: bigint; action: { value: { owner: unknown } } }[] }).actions[1];
    expect(second?.input).toBe(2n);
    expect(second?.action.value.owner).toMatchObject({ user: { user: { case: "byName", value: { name: "nobody", input: 2n } } }, group: { user: { case: "byId", value: 0 } } });
    // ChownOpt{1 user{1 byName{1 "nobody", 2 input 2}}, 2 group{2 byId 0}}
    expect(bytesHex(file)).toContain(`1a120a0c0a0a0a06${hex("nobody")}100212021000`);
  });

  test("mkdir: path, mode, makeParents, owner, timestamp -1", () => {
    const file = fileOp(base, [{ type: "mkdir", path: "/app", mode: 0o755, makeParents: true, owner: { user: { id: 1000 }, group: { id: 1000 } } }], AMD64);
    const op = fromBinary(OpSchema, file.bytes);
    const action = (op.op.value as { actions: { secondaryInput: bigint; action: { case: string; value: unknown } }[] }).actions[0];
    expect(action?.secondaryInput).toBe(-1n);
    expect(action?.action).toMatchObject({ case: "mkdir", value: { path: "/app", mode: 0o755, makeParents: true, timestamp: -1n } });
    expect(file.caps).toEqual(["file.base"]);
  });

  test("exclude patterns declare their cap", () => {
    const file = fileOp(base, [{ ...copy(one, "/a"), excludePatterns: ["*.pyc"] }], AMD64);
    expect(file.caps).toEqual(["file.base", "file.copy.includeexcludepatterns"]);
  });

  test("protobuf-es decodes and re-encodes every op to the same bytes (no field out of order, no default written)", () => {
    const file = fileOp(base, [copy(one, "/a"), { ...copy(two, "/x"), owner: { user: { name: "app" } }, mode: 0o640 }], AMD64);
    for (const vertex of [file, one.vertex, two.vertex, base.vertex]) {
      expect(Buffer.from(toBinary(OpSchema, fromBinary(OpSchema, vertex.bytes))).equals(Buffer.from(vertex.bytes))).toBe(true);
    }
  });
});

describe("collectDefinition", () => {
  test("post-order, each digest once, the terminal last, metadata with names and caps", () => {
    const base = { vertex: imageSource("docker.io/local/busybox:latest", AMD64, "base"), index: 0 };
    const local = { vertex: localSource("context", {}, "ctx"), index: 0 };
    const first = { vertex: fileOp(base, [{ type: "copy", source: local, src: "/a", dest: "/a", followSymlink: true, dirCopyContents: true, attemptUnpack: false, createDestPath: true, allowWildcard: true, allowEmptyWildcard: false }], AMD64, "copy"), index: 0 };
    const run = { vertex: execOp({ root: first, args: ["true"], env: [], cwd: "/", user: "", mounts: [{ type: "cache", dest: "/c", id: "/c", sharing: "shared", readonly: false, source: local }], network: "none", platform: AMD64, name: "run" }), index: 0 };
    const { definition, digests } = collectDefinition(run);
    expect(digests.slice(0, -1)).toEqual([base.vertex.digest, local.vertex.digest, first.vertex.digest, run.vertex.digest]);
    expect(definition.def.map(sha)).toEqual(digests);
    expect(new Set(digests).size).toBe(digests.length);
    expect(definition.metadata?.[run.vertex.digest]).toEqual({ description: { "llb.customname": "run" }, caps: { "exec.meta.base": true, "exec.meta.network": true, "exec.mount.cache": true } });
    expect(definition.metadata?.[digests.at(-1) ?? ""]).toEqual({ caps: { constraints: true, platform: true } });
  });

  test("ignoreCache marks every op but the terminal", () => {
    const base = { vertex: imageSource("docker.io/local/busybox:latest", AMD64), index: 0 };
    const { definition, digests } = collectDefinition(base, { ignoreCache: true });
    expect(definition.metadata?.[base.vertex.digest]).toEqual({ ignoreCache: true, caps: { "meta.ignorecache": true, "source.image": true } });
    expect(definition.metadata?.[digests[1] ?? ""]?.ignoreCache).toBeUndefined();
  });

  test("a scratch result has no ops", () => {
    expect(collectDefinition(undefined)).toEqual({ definition: { def: [], metadata: {} }, digests: [] });
  });
});
