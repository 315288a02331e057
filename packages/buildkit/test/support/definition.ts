// A tiny LLB graph hand-encoded with the generated types: busybox + one exec. Enough to prove Control.Solve
// end to end without any local source (the LLB marshaler is a later piece of work).
import { createHash } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import type { LLBDefinition } from "../../src/control-types.ts";
import {
  ExecOpSchema,
  InputSchema,
  MetaSchema,
  MountSchema,
  NetMode,
  OpSchema,
  PlatformSchema,
  SourceOpSchema,
  WorkerConstraintsSchema,
} from "../../src/gen/pb/ops_pb.ts";
import type { Op } from "../../src/gen/pb/ops_pb.ts";

export const BUSYBOX = "docker.io/local/busybox:latest";
const PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface ExecGraph {
  readonly definition: LLBDefinition;
  readonly sourceDigest: string;
  readonly execDigest: string;
}

/** `docker-image://docker.io/local/busybox:latest`, then `/bin/sh -c <script>` with no network. */
export function busyboxExec(script: string, name = script): ExecGraph {
  const platform = create(PlatformSchema, { architecture: "amd64", os: "linux" });
  const constraints = create(WorkerConstraintsSchema, {});
  const source = marshal(
    create(OpSchema, {
      op: { case: "source", value: create(SourceOpSchema, { identifier: `docker-image://${BUSYBOX}` }) },
      platform,
      constraints,
    }),
  );
  const exec = marshal(
    create(OpSchema, {
      inputs: [create(InputSchema, { digest: source.digest, index: 0n })],
      op: {
        case: "exec",
        value: create(ExecOpSchema, {
          meta: create(MetaSchema, { args: ["/bin/sh", "-c", script], env: [PATH], cwd: "/" }),
          mounts: [create(MountSchema, { input: 0n, dest: "/", output: 0n })],
          network: NetMode.NONE,
        }),
      },
      platform,
      constraints,
    }),
  );
  const terminal = marshal(create(OpSchema, { inputs: [create(InputSchema, { digest: exec.digest, index: 0n })] }));
  return {
    definition: {
      def: [source.bytes, exec.bytes, terminal.bytes],
      metadata: {
        [source.digest]: { caps: { "source.image": true } },
        [exec.digest]: { description: { "llb.customname": name }, caps: { "exec.meta.base": true, "exec.meta.network": true } },
        [terminal.digest]: { caps: { constraints: true, platform: true } },
      },
    },
    sourceDigest: source.digest,
    execDigest: exec.digest,
  };
}

function marshal(op: Op): { bytes: Uint8Array; digest: string } {
  const bytes = toBinary(OpSchema, op);
  return { bytes, digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
}
