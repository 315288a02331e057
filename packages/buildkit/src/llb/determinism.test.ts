// Determinism is a tested property (STYLE.md item 12): the same spec and base configs give the same bytes, digests,
// metadata and config on every run; every op appears once; every input it names is in the definition.

import { fromBinary } from "@bufbuild/protobuf";
import { Image } from "@chutes/image-core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { OpSchema } from "../gen/pb/ops_pb.ts";
import type { BaseImage } from "./image-config.ts";
import { marshalLLB } from "./marshal.ts";
import type { MarshaledImage } from "./marshal.ts";
import { AMD64, baseImage } from "./testing/fixtures.ts";

const bases: Record<string, BaseImage> = {
  "local/busybox:latest": baseImage(),
  "python:3.11-slim": baseImage({ Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"], WorkingDir: "/srv", Labels: { z: "1", a: "2" } }),
};

function rich(): Image {
  const builder = new Image("me", "builder")
    .fromBase("python:3.11-slim")
    .withArg("VERSION", "1.0")
    .setWorkdir("build")
    .copy(["pyproject.toml", "src/"], "./")
    .runCommand("pip wheel . -w /wheels", { mounts: [{ type: "cache", target: "/root/.cache/pip", sharing: "locked" }] });
  return new Image("me", "app", "1.0.0")
    .fromBase("python:3.11-slim")
    .withEnv("PATH", "/opt/venv/bin:$PATH")
    .withLabel("org.opencontainers.image.title", "app")
    .withLabel("b", "2")
    .copyFrom(builder, "/wheels", "/tmp/wheels/")
    .runCommand(["pip", "install", "/tmp/wheels/app.whl"], { mounts: [{ type: "secret", id: "netrc", target: "/root/.netrc" }, { type: "tmpfs", target: "/tmp/t" }] })
    .add("https://example.com/model.bin", "/models/", { checksum: `sha256:${"a".repeat(64)}` })
    .copy("config/*.yaml", "/etc/app/", { chown: "1000:1000", chmod: "0644", exclude: ["secret*.yaml"] })
    .setUser("1000:1000")
    .setWorkdir("/home/app")
    .exposePort(8000)
    .withHealthcheck(["curl", "-f", "http://localhost:8000/health"], { interval: "30s" })
    .withEntrypoint(["python", "-m", "app"])
    .withCmd(["--port", "8000"]);
}

function snapshot(marshaled: MarshaledImage): string {
  return JSON.stringify({
    def: marshaled.definition.def.map((bytes) => Buffer.from(bytes).toString("hex")),
    metadata: marshaled.definition.metadata,
    digests: marshaled.digests,
    config: marshaled.config,
    steps: marshaled.steps,
    locals: marshaled.locals,
    entitlements: marshaled.entitlements,
  });
}

/** Every digest once, the terminal last and pointing at an op of the definition, every input present. */
function checkWellFormed(marshaled: MarshaledImage): void {
  const { def, metadata } = marshaled.definition;
  const digests = new Set(marshaled.digests);
  expect(digests.size).toBe(def.length);
  expect(Object.keys(metadata ?? {}).sort()).toEqual([...digests].sort());
  def.forEach((bytes, index) => {
    const op = fromBinary(OpSchema, bytes);
    for (const input of op.inputs) {
      expect(digests.has(input.digest)).toBe(true);
      // Inputs come before the op that reads them (post-order).
      expect(marshaled.digests.indexOf(input.digest)).toBeLessThan(index);
    }
    if (index === def.length - 1) {
      expect(op.op.case).toBeUndefined();
      expect(op.inputs).toHaveLength(1);
    } else {
      expect(op.op.case).toBeDefined();
    }
  });
}

describe("determinism", () => {
  test("100 marshals of the same image give identical bytes, digests, metadata and config", () => {
    const first = snapshot(marshalLLB(rich().toJSON(), { baseConfigs: bases, platform: AMD64 }));
    for (let i = 0; i < 100; i++) {
      // A fresh Image and a fresh copy of the base configs each time: no shared state carries the result.
      const spec = JSON.parse(JSON.stringify(rich().toJSON())) as ReturnType<Image["toJSON"]>;
      const baseConfigs = JSON.parse(JSON.stringify(bases)) as Record<string, BaseImage>;
      expect(snapshot(marshalLLB(spec, { baseConfigs, platform: AMD64 }))).toBe(first);
    }
    checkWellFormed(marshalLLB(rich().toJSON(), { baseConfigs: bases, platform: AMD64 }));
  });

  test("the key order of base configs does not matter", () => {
    const reversed = Object.fromEntries(Object.entries(bases).reverse());
    expect(snapshot(marshalLLB(rich().toJSON(), { baseConfigs: reversed, platform: AMD64 }))).toBe(snapshot(marshalLLB(rich().toJSON(), { baseConfigs: bases, platform: AMD64 })));
  });
});

// ---------------------------------------------------------------------------------------------------- property

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const text = fc.string({ unit: "grapheme", maxLength: 12 });
const path = fc.constantFrom("a", "b/c", "src", "src/*.py", "./x", "/abs/y", "data/", ".");
const dest = fc.constantFrom("/app/", "/app/file", "rel/", ".", "/", "deep/er/");

type Op = (image: Image, previous: Image | undefined) => Image;
const step: fc.Arbitrary<Op> = fc.oneof(
  fc.array(text, { minLength: 1, maxLength: 3 }).map((lines): Op => (image) => image.runCommand(lines.join("\n") || "true")),
  fc.tuple(word, fc.array(text, { maxLength: 2 })).map(([program, args]): Op => (image) => image.runCommand([program, ...args])),
  fc.tuple(word, text).map(([key, value]): Op => (image) => image.withEnv(key.toUpperCase(), value, { literal: true })),
  fc.constantFrom("/srv", "app", "../lib", "/", "x/y").map((dir): Op => (image) => image.setWorkdir(dir)),
  fc.constantFrom("root", "1000", "1000:1000", "nobody:nogroup").map((user): Op => (image) => image.setUser(user)),
  fc.tuple(fc.array(path, { minLength: 1, maxLength: 3 }), dest, fc.option(fc.constantFrom("1000:1000", "app"), { nil: undefined })).map(
    ([sources, to, chown]): Op =>
      (image) => image.copy(sources, to, chown === undefined ? {} : { chown }),
  ),
  fc.tuple(path, dest).map(([source, to]): Op => (image, previous) => (previous === undefined ? image.copy(source, to) : image.copyFrom(previous, source, to))),
  fc.tuple(word, text).map(([key, value]): Op => (image) => image.withLabel(key, value, { literal: true })),
  fc.integer({ min: 1, max: 65535 }).map((port): Op => (image) => image.exposePort(port)),
  fc.array(text, { minLength: 1, maxLength: 2 }).map((argv): Op => (image) => image.withCmd(argv)),
  fc.constantFrom<"cache" | "tmpfs" | "secret">("cache", "tmpfs", "secret").map(
    (type): Op =>
      (image) =>
        image.runCommand("true", { mounts: [type === "secret" ? { type, id: "s" } : type === "cache" ? { type, target: "/c" } : { type, target: "/t" }] }),
  ),
);

const spec = fc
  .tuple(fc.array(step, { maxLength: 6 }), fc.array(step, { minLength: 1, maxLength: 8 }), fc.constantFrom("local/busybox:latest", "python:3.11-slim", "scratch"))
  .map(([first, second, base]) => {
    let builder: Image | undefined;
    if (first.length > 0) builder = first.reduce<Image>((image, op) => op(image, undefined), new Image("me", "builder").fromBase(base));
    return second.reduce<Image>((acc, op) => op(acc, builder), new Image("me", "app").fromBase(base));
  })
  // Only specs the builder accepts: marshalLLB's input is a validated image.
  .filter((image) => image.validate().length === 0)
  .map((image) => image.toJSON());

describe("property: random small specs", () => {
  test("marshal deterministically, every op digest in def is unique, every input is present", () => {
    fc.assert(
      fc.property(spec, (generated) => {
        const a = marshalLLB(generated, { baseConfigs: bases, platform: AMD64 });
        const b = marshalLLB(JSON.parse(JSON.stringify(generated)) as typeof generated, { baseConfigs: bases, platform: AMD64 });
        expect(snapshot(b)).toBe(snapshot(a));
        if (a.definition.def.length > 0) checkWellFormed(a);
      }),
      { numRuns: 300 },
    );
  });
});
