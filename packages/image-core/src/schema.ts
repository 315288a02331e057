// zod schemas for the IR. zod stays inside this module: callers get our own Issue objects (STYLE.md item 10).

import { z } from "zod";
import type { Issue } from "./errors.ts";
import { IR_VERSION } from "./ir.ts";
import type { ImageSpec } from "./ir.ts";

const str = z.string();
const argv = z.array(str).readonly();

const copyOptions = {
  chown: str.optional(),
  chmod: str.optional(),
  exclude: argv.optional(),
};

const mount = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("cache"),
    target: str,
    id: str.optional(),
    sharing: z.enum(["shared", "private", "locked"]).optional(),
    readonly: z.boolean().optional(),
    mode: str.optional(),
    uid: z.number().optional(),
    gid: z.number().optional(),
  }),
  z.strictObject({
    type: z.literal("secret"),
    id: str,
    target: str.optional(),
    env: str.optional(),
    required: z.boolean().optional(),
    mode: str.optional(),
    uid: z.number().optional(),
    gid: z.number().optional(),
  }),
  z.strictObject({ type: z.literal("tmpfs"), target: str, size: z.number().optional() }),
]);

const runCommand = z.discriminatedUnion("form", [
  z.strictObject({ form: z.literal("shell"), lines: argv }),
  z.strictObject({ form: z.literal("exec"), argv }),
  z.strictObject({ form: z.literal("script"), script: str, interpreter: argv.optional() }),
]);

const step = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("run"),
    command: runCommand,
    mounts: z.array(mount).readonly().optional(),
    network: z.enum(["default", "none", "host"]).optional(),
  }),
  z.strictObject({
    kind: z.literal("add"),
    sources: argv,
    dest: str,
    ...copyOptions,
    checksum: str.optional(),
    keepGitDir: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal("copy"), sources: argv, dest: str, ...copyOptions }),
  z.strictObject({ kind: z.literal("copyFrom"), stage: str, sources: argv, dest: str, ...copyOptions }),
  z.strictObject({ kind: z.literal("env"), key: str, value: str }),
  z.strictObject({ kind: z.literal("workdir"), path: str }),
  z.strictObject({ kind: z.literal("user"), user: str }),
  z.strictObject({ kind: z.literal("entrypoint"), argv }),
  z.strictObject({ kind: z.literal("cmd"), argv }),
  z.strictObject({ kind: z.literal("label"), key: str, value: str }),
  z.strictObject({ kind: z.literal("expose"), port: z.number(), protocol: z.enum(["tcp", "udp"]) }),
  z.strictObject({
    kind: z.literal("healthcheck"),
    test: argv.nullable(),
    interval: str.optional(),
    timeout: str.optional(),
    startPeriod: str.optional(),
    startInterval: str.optional(),
    retries: z.number().optional(),
  }),
  z.strictObject({ kind: z.literal("arg"), name: str, default: str.optional() }),
  z.strictObject({ kind: z.literal("shell"), argv }),
]);

const stageBase = z.union([z.literal("scratch"), z.strictObject({ image: str }), z.strictObject({ stage: str })]);

const imageSpec = z.strictObject({
  irVersion: z.literal(IR_VERSION),
  ref: z.strictObject({ username: str, name: str, tag: str }),
  readme: str.optional(),
  stages: z.array(z.strictObject({ id: str, base: stageBase, steps: z.array(step).readonly() })).min(1).readonly(),
});

/** The result of checking unknown data against the IR's shape. */
export type ParseSpecResult =
  | { readonly ok: true; readonly spec: ImageSpec }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** Checks that `data` has the IR's shape (not its rules: see `validateSpec`). */
export function parseSpec(data: unknown): ParseSpecResult {
  if (typeof data === "object" && data !== null && "irVersion" in data && data.irVersion !== IR_VERSION) {
    const value = data.irVersion;
    return {
      ok: false,
      issues: [
        {
          code: "unsupported-ir-version",
          severity: "error",
          method: "fromJSON",
          path: ["irVersion"],
          value,
          message: `irVersion ${JSON.stringify(value)} is not supported; this version of @chutes/image-core reads irVersion ${IR_VERSION}`,
        },
      ],
    };
  }
  const result = imageSpec.safeParse(data);
  if (result.success) return { ok: true, spec: result.data as ImageSpec };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      code: "invalid-ir",
      severity: "error",
      method: "fromJSON",
      path: issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)),
      value: valueAt(data, issue.path),
      message: `${issue.path.length > 0 ? issue.path.join(".") : "the spec"}: ${issue.message}`,
    })),
  };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
