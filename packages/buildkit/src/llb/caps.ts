// LLB capabilities (`OpMetadata.caps`): each op declares the features it uses, and the engine fails fast on a cap
// it does not know. The LLB back end only uses caps the engine has: those of BuildKit 0.8 (Docker 20.10,
// buildkit-wire.md section 3) unless the caller passes the engine's own list (`LLBBridge.Ping`), and it fails with
// an `LLBError` naming the feature and the step before anything is sent when a step needs more.

import { LLBError } from "./errors.ts";

/** The 42 LLB caps of the BuildKit embedded in Docker 20.10 (v0.8), as the engine reports them. */
export const BUILDKIT_0_8_CAPS: readonly string[] = Object.freeze([
  "constraints",
  "exec.cgroup",
  "exec.meta.base",
  "exec.meta.network",
  "exec.meta.proxyenv",
  "exec.meta.security",
  "exec.meta.security.devices.v1",
  "exec.meta.setsdefaultpath",
  "exec.mount.bind",
  "exec.mount.bind.readwrite-nooutput",
  "exec.mount.cache",
  "exec.mount.cache.sharing",
  "exec.mount.secret",
  "exec.mount.selector",
  "exec.mount.ssh",
  "exec.mount.tmpfs",
  "file.base",
  "file.rm.wildcard",
  "meta.description",
  "meta.exportcache",
  "meta.ignorecache",
  "platform",
  "soruce.http.uidgid",
  "source.buildop.llbfilename",
  "source.git",
  "source.git.fullurl",
  "source.git.httpauth",
  "source.git.keepgitdir",
  "source.git.knownsshhosts",
  "source.git.mountsshsock",
  "source.http",
  "source.http.checksum",
  "source.http.perm",
  "source.image",
  "source.image.resolvemode",
  "source.local",
  "source.local.excludepatterns",
  "source.local.followpaths",
  "source.local.includepatterns",
  "source.local.sessionid",
  "source.local.sharedkeyhint",
  "source.local.unique",
]);

/** Caps beyond BuildKit 0.8 that the LLB back end can use, with what needs them. */
export const NEWER_CAPS: Readonly<Record<string, string>> = Object.freeze({
  "file.copy.includeexcludepatterns": "exclude patterns on a copy from another stage",
  "exec.mount.tmpfs.size": "a size limit on a tmpfs mount",
  "exec.secretenv": "a secret exposed as an environment variable (`env` on a secret mount)",
  "source.git.subdir": "a subdirectory of a git source (`#ref:dir`)",
});

/** The engine's caps, and a readable name for it in errors. */
export class CapSet {
  readonly #caps: ReadonlySet<string>;
  /** e.g. `BuildKit 0.8 (Docker 20.10)` or `this engine's BuildKit`. */
  readonly engine: string;

  constructor(caps: Iterable<string> = BUILDKIT_0_8_CAPS) {
    this.#caps = new Set(caps);
    const old = new Set(BUILDKIT_0_8_CAPS);
    const onlyOld = [...this.#caps].every((cap) => old.has(cap));
    this.engine = onlyOld ? "BuildKit 0.8 (as in Docker 20.10)" : "this engine's BuildKit";
  }

  has(cap: string): boolean {
    return this.#caps.has(cap);
  }

  /** Throws `unsupported-feature` naming the step when the engine lacks `cap`. */
  require(cap: string, where: { readonly stage: string; readonly step: number; readonly kind: string }): void {
    if (this.#caps.has(cap)) return;
    const feature = NEWER_CAPS[cap] ?? `the LLB capability "${cap}"`;
    throw new LLBError(
      "unsupported-feature",
      `stage "${where.stage}", step ${where.step} (${where.kind}) needs ${feature} (LLB cap "${cap}"), which ${this.engine} ` +
        "does not support; BuildKit 0.13 (Docker 26) and newer do. Upgrade the engine, or change the step.",
      { stage: where.stage, step: where.step, cap },
    );
  }
}
