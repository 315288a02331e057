// Golden LLB: IR in, ops and digests out (STYLE.md item 13). A changed digest means changed bytes on the wire and a
// changed cache key on the engine: review the diff of test/golden/llb/*.json, then accept it with `vitest run -u`.

import { fromBinary, toJson } from "@bufbuild/protobuf";
import { Image } from "@chutes/image-core";
import { describe, expect, test } from "vitest";
import { OpSchema } from "../src/gen/pb/ops_pb.ts";
import { marshalLLB } from "../src/llb/marshal.ts";
import type { BaseImage } from "../src/llb/image-config.ts";
import { AMD64, baseImage } from "../src/llb/testing/fixtures.ts";

const bases: Record<string, BaseImage> = {
  "local/busybox:latest": baseImage(),
  "local/debian:bookworm-minbase": baseImage(),
  "python:3.11-slim": baseImage(
    { Env: ["PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "PYTHON_VERSION=3.11.9"], Cmd: ["python3"] },
    [{ created_by: "/bin/sh -c #(nop) ADD file:abc in / " }, { created_by: "/bin/sh -c #(nop)  CMD [\"bash\"]", empty_layer: true }],
    `sha256:${"5".repeat(64)}`,
  ),
};

const builder = new Image("me", "builder")
  .fromBase("python:3.11-slim")
  .setWorkdir("/build")
  .copy(["pyproject.toml", "src/"], "./")
  .runCommand("pip wheel . -w /wheels", { mounts: [{ type: "cache", target: "/root/.cache/pip", id: "pip", sharing: "locked", uid: 1000, mode: "0755" }] });

const images: Record<string, Image> = {
  "busybox-run": new Image("me", "busybox-run", "1")
    .fromBase("local/busybox:latest")
    .withEnv("PATH", "/opt/bin:$PATH")
    .setWorkdir("app")
    .setUser("nobody")
    .runCommand("echo hello > greeting.txt")
    .withCmd(["cat", "greeting.txt"]),
  "context-copy": new Image("me", "context-copy", "1")
    .fromBase("local/busybox:latest")
    .setWorkdir("/srv")
    .copy("requirements.txt", ".")
    .copy(["app/", "bin/*.sh"], "/opt/app/", { chown: "nobody:nogroup", chmod: "0750" })
    .add("vendor.tar.gz", "/vendor/")
    .add("https://example.com/models/model.bin", "/models/", { checksum: `sha256:${"a".repeat(64)}` })
    .copy("data", "data/", { exclude: ["*.tmp", "cache/**"] }),
  "multi-stage-mounts": new Image("me", "multi-stage-mounts", "1")
    .fromBase("python:3.11-slim")
    .copyFrom(builder, "/wheels", "/tmp/wheels/")
    .runCommand(["pip", "install", "--no-index", "--find-links", "/tmp/wheels", "app"], {
      mounts: [
        { type: "secret", id: "pip-conf", target: "/etc/pip.conf" },
        { type: "tmpfs", target: "/tmp/build" },
      ],
    })
    .withEntrypoint(["python3", "-m", "app"]),
  "debian-apt": new Image("me", "debian-apt", "1").fromBase("local/debian:bookworm-minbase").aptInstall(["hello"]).withCmd(["hello"]),
  scratch: new Image("me", "scratch", "1").fromBase("scratch").copy("bin/tool", "/tool").setWorkdir("/data").withEntrypoint(["/tool"]),
};

describe("golden LLB of fixed images", () => {
  test.each(Object.keys(images))("%s", async (name) => {
    const image = images[name];
    if (image === undefined) throw new Error(name);
    const marshaled = marshalLLB(image.toJSON(), { baseConfigs: bases, platform: AMD64, network: name === "debian-apt" ? "host" : "none" });
    const golden = {
      digests: marshaled.digests,
      ops: marshaled.definition.def.map((bytes, index) => ({
        digest: marshaled.digests[index],
        name: marshaled.definition.metadata?.[marshaled.digests[index] ?? ""]?.description?.["llb.customname"],
        caps: Object.keys(marshaled.definition.metadata?.[marshaled.digests[index] ?? ""]?.caps ?? {}),
        op: toJson(OpSchema, fromBinary(OpSchema, bytes)),
      })),
      steps: marshaled.steps,
      locals: marshaled.locals,
      entitlements: marshaled.entitlements,
      config: marshaled.config,
    };
    await expect(`${JSON.stringify(golden, null, 2)}\n`).toMatchFileSnapshot(`golden/llb/${name}.json`);
  });
});
