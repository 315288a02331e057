// Test-only: base image configs, the platform, and a decoder that turns a marshaled definition back into the
// generated messages so tests can assert on fields (and on bytes where they matter).

import { createHash } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import type { LLBDefinition, Platform } from "../../control-types.ts";
import { OpSchema } from "../../gen/pb/ops_pb.ts";
import type { ExecOp, FileOp, Op, SourceOp } from "../../gen/pb/ops_pb.ts";
import type { BaseImage, ContainerConfig, ImageHistoryEntry } from "../image-config.ts";

export const AMD64: Platform = { architecture: "amd64", os: "linux" };

/** A base image config as an imported image has it (almost empty), with `config` overrides. */
export function baseImage(config: ContainerConfig = {}, history: readonly ImageHistoryEntry[] = [{ created: "2026-01-01T00:00:00Z", comment: "Imported from -" }], digest?: string): BaseImage {
  return {
    ...(digest === undefined ? {} : { digest }),
    config: {
      architecture: "amd64",
      os: "linux",
      config: { Env: null, Cmd: null, WorkingDir: "", Entrypoint: null, OnBuild: null, Labels: null, ...config },
      rootfs: { type: "layers", diff_ids: ["sha256:2838a83da43b1d5846d7fdc5a50f27ff9a1e3e36e1d84a2858901ff7d4b10cd3"] },
      history,
    },
  };
}

export interface DecodedOp {
  readonly digest: string;
  readonly op: Op;
  readonly hex: string;
}

export interface DecodedDefinition {
  readonly ops: readonly DecodedOp[];
  byDigest(digest: string): DecodedOp;
  /** Every op of one kind, in definition order. */
  exec(): ExecOp[];
  file(): FileOp[];
  source(): SourceOp[];
}

export function decode(definition: LLBDefinition): DecodedDefinition {
  const ops = definition.def.map((bytes) => ({
    digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
    op: fromBinary(OpSchema, bytes),
    hex: Buffer.from(bytes).toString("hex"),
  }));
  const of = <K extends "exec" | "file" | "source">(kind: K) =>
    ops.flatMap(({ op }) => (op.op.case === kind ? [op.op.value as Extract<Op["op"], { case: K }>["value"]] : []));
  return {
    ops,
    byDigest: (digest) => {
      const found = ops.find((op) => op.digest === digest);
      if (found === undefined) throw new Error(`no op ${digest}`);
      return found;
    },
    exec: () => of("exec"),
    file: () => of("file"),
    source: () => of("source"),
  };
}
