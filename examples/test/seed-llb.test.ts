// Golden LLB digests of the seed's examples (issue 5): every valid exported Image marshals to the op digests in
// ../llb-golden/seed.json, the same bytes on every run. A changed digest is a changed cache key on every engine:
// review the diff, then accept it with `pnpm --filter @chutes/examples golden`.
//
// Base image configs are fixed stand-ins (a PATH, a pinned digest derived from the name), so the digests depend on
// the IR and the marshaler only, never on what a registry serves today. Each image marshals against BuildKit 0.8's
// caps first; one that needs more records the cap and is marshaled for BuildKit 0.13.
import { createHash } from "node:crypto";
import { BUILDKIT_0_8_CAPS, LLBError, marshalLLB } from "@chutes/buildkit";
import type { BaseImage, MarshaledImage } from "@chutes/buildkit";
import type { ImageSpec } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { seedImages } from "./seed-modules.ts";

/** Caps that BuildKit 0.13 (Docker 26) adds to 0.8's and that the marshaler can use. */
const BUILDKIT_0_13_EXTRA = ["exec.mount.tmpfs.size", "exec.secretenv", "file.copy.includeexcludepatterns", "source.git.subdir"];
const AMD64 = { architecture: "amd64", os: "linux" } as const;

function standIn(ref: string): BaseImage {
  const hash = createHash("sha256").update(ref).digest("hex");
  return {
    digest: `sha256:${hash}`,
    config: {
      architecture: "amd64",
      os: "linux",
      config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: null, WorkingDir: "", Entrypoint: null, OnBuild: null, Labels: null },
      rootfs: { type: "layers", diff_ids: [`sha256:${createHash("sha256").update(`layer:${ref}`).digest("hex")}`] },
      history: [{ created_by: `stand-in for ${ref}` }],
    },
  };
}

function baseConfigs(spec: ImageSpec): Record<string, BaseImage> {
  const refs = spec.stages.flatMap((stage) => (typeof stage.base === "object" && "image" in stage.base ? [stage.base.image] : []));
  return Object.fromEntries(refs.map((ref) => [ref, standIn(ref)]));
}

interface Marshaled {
  readonly needs?: string;
  readonly result: MarshaledImage;
}

function marshal(spec: ImageSpec): Marshaled {
  const options = { baseConfigs: baseConfigs(spec), platform: AMD64 };
  try {
    return { result: marshalLLB(spec, { ...options, caps: BUILDKIT_0_8_CAPS }) };
  } catch (error) {
    if (!(error instanceof LLBError) || error.code !== "unsupported-feature" || error.cap === undefined) throw error;
    return { needs: error.cap, result: marshalLLB(spec, { ...options, caps: [...BUILDKIT_0_8_CAPS, ...BUILDKIT_0_13_EXTRA] }) };
  }
}

const valid = seedImages.filter(({ image }) => image.validate().length === 0);

describe("golden LLB of the seed's examples", () => {
  it("covers the valid seed images (the invalid ones are rejected before marshaling)", () => {
    expect(valid.length).toBeGreaterThan(50);
  });

  it("marshals each to the recorded op digests, identically every time", async () => {
    const golden: Record<string, { readonly digest: string; readonly ops: readonly string[]; readonly needs?: string }> = {};
    for (const { stem, name, image } of valid) {
      const spec = image.toJSON();
      const first = marshal(spec);
      for (let run = 0; run < 3; run++) {
        const again = marshal(spec);
        expect(again.result.digests).toEqual(first.result.digests);
        expect(again.result.definition.def).toEqual(first.result.definition.def);
      }
      golden[`${stem}/${name}`] = {
        digest: first.result.digests.at(-1) ?? "(empty)",
        ops: first.result.digests,
        ...(first.needs === undefined ? {} : { needs: first.needs }),
      };
    }
    await expect(`${JSON.stringify(golden, null, 2)}\n`).toMatchFileSnapshot("../llb-golden/seed.json");
  });
});
