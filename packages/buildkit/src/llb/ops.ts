// LLB ops as BuildKit's Go client (`client/llb`) marshals them: fields in number order, zero values omitted,
// present-but-empty messages kept (`constraints` on every op), map keys sorted byte-wise, oneof members always
// written. An op's digest is sha256 of exactly these bytes; equal ops are one vertex. Nothing generated leaves
// this file.

import { createHash } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import type { Platform } from "../control-types.ts";
import {
  CacheOptSchema,
  CacheSharingOpt,
  ChownOptSchema,
  ExecOpSchema,
  FileActionCopySchema,
  FileActionMkDirSchema,
  FileActionSchema,
  FileOpSchema,
  InputSchema,
  MetaSchema,
  MountSchema,
  MountType,
  NamedUserOptSchema,
  NetMode,
  OpSchema,
  PlatformSchema,
  SecretEnvSchema,
  SecretOptSchema,
  SourceOpSchema,
  TmpfsOptSchema,
  UserOptSchema,
  WorkerConstraintsSchema,
} from "../gen/pb/ops_pb.ts";
import type { ChownOpt, FileAction, Input, Mount, Op, SecretEnv, UserOpt } from "../gen/pb/ops_pb.ts";
import { compareBytes } from "./paths.ts";

/** One marshaled op: its bytes, digest, the ops it reads and what its metadata declares. */
export interface Vertex {
  readonly digest: string;
  readonly bytes: Uint8Array;
  /** The distinct ops this one reads, in input order. */
  readonly inputs: readonly Vertex[];
  /** The LLB caps the op uses, sorted. */
  readonly caps: readonly string[];
  /** `llb.customname`: the name progress shows. */
  readonly name?: string;
}

/** An output of an op; `undefined` stands for scratch (the empty file system). */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
}
export type FsState = Output | undefined;

/** The op's platform field, as Go writes it: architecture, os and a variant when there is one. */
function platformMessage(platform: Platform) {
  return create(PlatformSchema, {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant === undefined || platform.variant === "" ? {} : { variant: platform.variant }),
  });
}

function sortedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of [...entries].sort(([a], [b]) => compareBytes(a, b))) out[key] = value;
  return out;
}

function seal(op: Op, inputs: readonly Vertex[], caps: Iterable<string>, name: string | undefined): Vertex {
  const bytes = toBinary(OpSchema, op);
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  return {
    digest,
    bytes,
    inputs,
    caps: [...new Set(caps)].sort(compareBytes),
    ...(name === undefined ? {} : { name }),
  };
}

/** Inputs of an op, deduplicated by (digest, output index), in first-use order. */
class InputList {
  readonly messages: Input[] = [];
  readonly vertices: Vertex[] = [];
  readonly #keys: string[] = [];

  /** The index of `output` among the op's inputs; -1 for scratch. */
  add(output: FsState): number {
    if (output === undefined) return -1;
    const key = `${output.vertex.digest}:${output.index}`;
    const found = this.#keys.indexOf(key);
    if (found >= 0) return found;
    this.#keys.push(key);
    this.messages.push(create(InputSchema, { digest: output.vertex.digest, index: BigInt(output.index) }));
    if (!this.vertices.includes(output.vertex)) this.vertices.push(output.vertex);
    return this.messages.length - 1;
  }
}

// ---------------------------------------------------------------------------------------------------- sources

/** `docker-image://<normalised reference>`; the reference may carry a `@sha256:` digest. */
export function imageSource(reference: string, platform: Platform, name?: string): Vertex {
  const op = create(OpSchema, {
    op: { case: "source", value: create(SourceOpSchema, { identifier: `docker-image://${reference}` }) },
    platform: platformMessage(platform),
    constraints: create(WorkerConstraintsSchema, {}),
  });
  return seal(op, [], ["source.image"], name);
}

/** A source without a platform (local, http, git): identifier and sorted attrs. */
function platformlessSource(identifier: string, attrs: Readonly<Record<string, string>>, caps: readonly string[], name: string | undefined): Vertex {
  const op = create(OpSchema, {
    op: { case: "source", value: create(SourceOpSchema, { identifier, attrs: sortedRecord(Object.entries(attrs)) }) },
    constraints: create(WorkerConstraintsSchema, {}),
  });
  return seal(op, [], caps, name);
}

/** The local attrs and the caps each needs. */
const LOCAL_ATTR_CAPS: Readonly<Record<string, string>> = {
  "local.includepattern": "source.local.includepatterns",
  "local.excludepatterns": "source.local.excludepatterns",
  "local.followpaths": "source.local.followpaths",
  "local.sharedkeyhint": "source.local.sharedkeyhint",
  "local.session": "source.local.sessionid",
};

/** `local://<name>`: a directory a session serves (`local.session`; without it, the solve's session). */
export function localSource(localName: string, attrs: Readonly<Record<string, string>>, name?: string): Vertex {
  const caps = ["source.local", ...Object.keys(attrs).map((key) => LOCAL_ATTR_CAPS[key] ?? "source.local")];
  return platformlessSource(`local://${localName}`, attrs, caps, name);
}

/** An `http(s)://` download: the URL is the identifier; `http.filename` names the file, `http.checksum` pins it. */
export function httpSource(url: string, options: { readonly filename: string; readonly checksum?: string }, name?: string): Vertex {
  const attrs: Record<string, string> = { "http.filename": options.filename };
  const caps = ["source.http"];
  if (options.checksum !== undefined) {
    attrs["http.checksum"] = options.checksum;
    caps.push("source.http.checksum");
  }
  return platformlessSource(url, attrs, caps, name);
}

/** `git://<remote>[#ref]`, with the attrs Go's `llb.Git` sets. */
export function gitSource(identifier: string, attrs: Readonly<Record<string, string>>, caps: readonly string[], name?: string): Vertex {
  return platformlessSource(`git://${identifier}`, attrs, ["source.git", ...caps], name);
}

// ---------------------------------------------------------------------------------------------------- exec

export type NetworkMode = "sandbox" | "host" | "none";

/** A mount besides the root file system. */
export type ExecMount =
  | {
      readonly type: "cache";
      readonly dest: string;
      readonly id: string;
      readonly sharing: "shared" | "private" | "locked";
      readonly readonly: boolean;
      /** What seeds the cache (scratch when undefined), and the path inside it. */
      readonly source?: FsState;
      readonly selector?: string;
    }
  | { readonly type: "tmpfs"; readonly dest: string; readonly size?: number }
  | {
      readonly type: "secret";
      /** The file it appears as; none when it is only an environment variable. */
      readonly dest?: string;
      /** The environment variable it is also (or only) exposed as. */
      readonly env?: string;
      readonly id: string;
      readonly uid: number;
      readonly gid: number;
      readonly mode: number;
      readonly optional: boolean;
    };

export interface ExecSpec {
  readonly root: FsState;
  readonly args: readonly string[];
  /** `KEY=value` */
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user: string;
  readonly mounts: readonly ExecMount[];
  readonly network: NetworkMode;
  readonly platform: Platform;
  readonly name?: string;
}

const SHARING: Readonly<Record<"shared" | "private" | "locked", CacheSharingOpt>> = {
  shared: CacheSharingOpt.SHARED,
  private: CacheSharingOpt.PRIVATE,
  locked: CacheSharingOpt.LOCKED,
};

/** A mount other than a secret: sorted by destination, built once the inputs are known. */
interface NormalMount {
  readonly dest: string;
  readonly build: (inputs: InputList) => Mount;
}

/**
 * An ExecOp: the root mount at `/` (output 0), then the other mounts sorted by destination (Go's order), then
 * secret mounts as given. Cache and tmpfs mounts have no output.
 */
export function execOp(spec: ExecSpec): Vertex {
  const inputs = new InputList();
  const caps = ["exec.meta.base"];
  const normal: NormalMount[] = [
    { dest: "/", build: (list) => create(MountSchema, { input: BigInt(list.add(spec.root)), dest: "/", output: 0n }) },
  ];
  const secrets: Mount[] = [];
  const secretEnv: SecretEnv[] = [];
  for (const mount of spec.mounts) {
    switch (mount.type) {
      case "cache":
        caps.push("exec.mount.cache");
        if (mount.sharing !== "shared") caps.push("exec.mount.cache.sharing");
        if (mount.selector !== undefined) caps.push("exec.mount.selector");
        normal.push({
          dest: mount.dest,
          build: (list) =>
            create(MountSchema, {
              input: BigInt(list.add(mount.source)),
              ...(mount.selector === undefined ? {} : { selector: mount.selector }),
              dest: mount.dest,
              output: -1n,
              readonly: mount.readonly,
              mountType: MountType.CACHE,
              cacheOpt: create(CacheOptSchema, { id: mount.id, sharing: SHARING[mount.sharing] }),
            }),
        });
        break;
      case "tmpfs":
        caps.push("exec.mount.tmpfs");
        if (mount.size !== undefined) caps.push("exec.mount.tmpfs.size");
        normal.push({
          dest: mount.dest,
          build: () =>
            create(MountSchema, {
              input: -1n,
              dest: mount.dest,
              output: -1n,
              mountType: MountType.TMPFS,
              ...(mount.size === undefined ? {} : { tmpfsOpt: create(TmpfsOptSchema, { size: BigInt(mount.size) }) }),
            }),
        });
        break;
      case "secret":
        // Go's llb: an env secret goes to ExecOp.secretenv, a file secret to the mounts; one with both, to both.
        if (mount.env !== undefined) {
          caps.push("exec.secretenv");
          secretEnv.push(create(SecretEnvSchema, { id: mount.id, name: mount.env, optional: mount.optional }));
        }
        if (mount.dest !== undefined) {
          caps.push("exec.mount.secret");
          secrets.push(
            create(MountSchema, {
              dest: mount.dest,
              mountType: MountType.SECRET,
              secretOpt: create(SecretOptSchema, { id: mount.id, uid: mount.uid, gid: mount.gid, mode: mount.mode, optional: mount.optional }),
            }),
          );
        }
        break;
    }
  }
  normal.sort((a, b) => compareBytes(a.dest, b.dest));
  const mounts = [...normal.map((m) => m.build(inputs)), ...secrets];
  const network = spec.network === "host" ? NetMode.HOST : spec.network === "none" ? NetMode.NONE : NetMode.UNSET;
  if (network !== NetMode.UNSET) caps.push("exec.meta.network");
  const op = create(OpSchema, {
    inputs: inputs.messages,
    op: {
      case: "exec",
      value: create(ExecOpSchema, {
        meta: create(MetaSchema, { args: [...spec.args], env: [...spec.env], cwd: spec.cwd, user: spec.user, removeMountStubsRecursive: true }),
        mounts,
        network,
        secretenv: secretEnv,
      }),
    },
    platform: platformMessage(spec.platform),
    constraints: create(WorkerConstraintsSchema, {}),
  });
  return seal(op, inputs.vertices, caps, spec.name);
}

// ---------------------------------------------------------------------------------------------------- file

/** A user or group for chown: a numeric id, or a name resolved in the destination's /etc/passwd or /etc/group. */
export type UserRef = { readonly id: number } | { readonly name: string };

export interface Owner {
  readonly user?: UserRef;
  readonly group?: UserRef;
}

export type FileActionSpec =
  | {
      readonly type: "copy";
      readonly source: FsState;
      readonly src: string;
      readonly dest: string;
      readonly owner?: Owner;
      /** Permission bits; undefined keeps the source's. */
      readonly mode?: number;
      readonly followSymlink: boolean;
      readonly dirCopyContents: boolean;
      readonly attemptUnpack: boolean;
      readonly createDestPath: boolean;
      readonly allowWildcard: boolean;
      readonly allowEmptyWildcard: boolean;
      readonly excludePatterns?: readonly string[];
    }
  | {
      readonly type: "mkdir";
      readonly path: string;
      readonly mode: number;
      readonly makeParents: boolean;
      readonly owner?: Owner;
    };

function userOpt(ref: UserRef, base: number): UserOpt {
  return "id" in ref
    ? create(UserOptSchema, { user: { case: "byId", value: ref.id } })
    : create(UserOptSchema, { user: { case: "byName", value: create(NamedUserOptSchema, { name: ref.name, input: BigInt(base) }) } });
}

function chownOpt(owner: Owner | undefined, base: number): ChownOpt | undefined {
  if (owner === undefined) return undefined;
  return create(ChownOptSchema, {
    ...(owner.user === undefined ? {} : { user: userOpt(owner.user, base) }),
    ...(owner.group === undefined ? {} : { group: userOpt(owner.group, base) }),
  });
}

/**
 * A FileOp applying `actions` in a chain onto `base`: action k reads the result of action k-1 (input
 * `len(inputs) + k - 1`), the last one is output 0, the others have no output (-1).
 */
export function fileOp(base: FsState, actions: readonly FileActionSpec[], platform: Platform, name?: string): Vertex {
  const inputs = new InputList();
  const caps = ["file.base"];
  // Go adds the base first, then each action's secondary input in order.
  const baseIndex = inputs.add(base);
  const secondaries = actions.map((action) => (action.type === "copy" ? inputs.add(action.source) : -1));
  const count = inputs.messages.length;
  const messages: FileAction[] = actions.map((action, k) => {
    const input = k === 0 ? baseIndex : count + k - 1;
    const output = k === actions.length - 1 ? 0n : -1n;
    if (action.type === "mkdir") {
      return create(FileActionSchema, {
        input: BigInt(input),
        secondaryInput: -1n,
        output,
        action: {
          case: "mkdir",
          value: create(FileActionMkDirSchema, {
            path: action.path,
            mode: action.mode,
            makeParents: action.makeParents,
            ...(action.owner === undefined ? {} : { owner: chownOpt(action.owner, input) }),
            timestamp: -1n,
          }),
        },
      });
    }
    if ((action.excludePatterns?.length ?? 0) > 0) caps.push("file.copy.includeexcludepatterns");
    return create(FileActionSchema, {
      input: BigInt(input),
      secondaryInput: BigInt(secondaries[k] ?? -1),
      output,
      action: {
        case: "copy",
        value: create(FileActionCopySchema, {
          src: action.src,
          dest: action.dest,
          ...(action.owner === undefined ? {} : { owner: chownOpt(action.owner, input) }),
          mode: action.mode ?? -1,
          followSymlink: action.followSymlink,
          dirCopyContents: action.dirCopyContents,
          attemptUnpackDockerCompatibility: action.attemptUnpack,
          createDestPath: action.createDestPath,
          allowWildcard: action.allowWildcard,
          allowEmptyWildcard: action.allowEmptyWildcard,
          timestamp: -1n,
          excludePatterns: [...(action.excludePatterns ?? [])],
        }),
      },
    });
  });
  const op = create(OpSchema, {
    inputs: inputs.messages,
    op: { case: "file", value: create(FileOpSchema, { actions: messages }) },
    platform: platformMessage(platform),
    constraints: create(WorkerConstraintsSchema, {}),
  });
  return seal(op, inputs.vertices, caps, name);
}

/** The terminal op: no op of its own, only `inputs[0]` = the result. */
export function terminalOp(result: Output): Vertex {
  const op = create(OpSchema, { inputs: [create(InputSchema, { digest: result.vertex.digest, index: BigInt(result.index) })] });
  return seal(op, [result.vertex], ["constraints", "platform"], undefined);
}
