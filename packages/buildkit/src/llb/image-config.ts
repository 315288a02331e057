// The OCI image config an LLB build exports: the base image's config with the evaluator's values merged in (what
// BuildKit's Dockerfile frontend does, DESIGN.md section 5), `rootfs` left to the exporter, and one history entry
// per step (`empty_layer` for config-only steps) so the exporter pairs each layer with its step.

import type { BaseImageConfig, HealthcheckConfig, ImageConfig } from "@chutes/image-core";
import type { Platform } from "../control-types.ts";

/** One `history` entry of an image config (Go field names). */
export interface ImageHistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** The runtime part (`config`) of an image config, as Docker writes it; unknown fields are kept. */
export interface ContainerConfig {
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>> | null;
  readonly Env?: readonly string[] | null;
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Volumes?: Readonly<Record<string, object>> | null;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly StopSignal?: string;
  readonly ArgsEscaped?: boolean;
  readonly Healthcheck?: HealthcheckConfig | null;
  readonly OnBuild?: readonly string[] | null;
  readonly Shell?: readonly string[] | null;
  readonly [field: string]: unknown;
}

/** An OCI / Docker image config: what `ResolveImageConfig` returns and `containerimage.config` carries. */
export interface ImageConfigFile {
  readonly created?: string;
  readonly author?: string;
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly "os.version"?: string;
  readonly "os.features"?: readonly string[];
  readonly config: ContainerConfig;
  readonly rootfs: { readonly type: string; readonly diff_ids: readonly string[] };
  readonly history?: readonly ImageHistoryEntry[];
  readonly [field: string]: unknown;
}

/** A resolved base image: its config and, when a registry served it, the manifest digest that pins it. */
export interface BaseImage {
  /** `sha256:…`, or absent/empty when the engine served the image from its local store. */
  readonly digest?: string;
  readonly config: ImageConfigFile;
}

/** The comment of the history entries the LLB back end writes. */
export const HISTORY_COMMENT = "chutes-image.llb.v0";

/** The fields of `config` BuildKit's Dockerfile frontend keeps from a base image (its `ImageConfig` struct). */
const KEPT_FIELDS = [
  "User",
  "ExposedPorts",
  "Env",
  "Entrypoint",
  "Cmd",
  "Volumes",
  "WorkingDir",
  "Labels",
  "StopSignal",
  "ArgsEscaped",
  "Healthcheck",
  "Shell",
] as const;

/** What the evaluator reads from a base image config (`null`s dropped). */
export function evaluatorBaseConfig(config: ContainerConfig | undefined): BaseImageConfig {
  if (config === undefined) return {};
  const healthcheck = config.Healthcheck;
  return {
    ...(config.Env ? { Env: [...config.Env] } : {}),
    ...(config.Entrypoint ? { Entrypoint: [...config.Entrypoint] } : {}),
    ...(config.Cmd ? { Cmd: [...config.Cmd] } : {}),
    ...(config.WorkingDir ? { WorkingDir: config.WorkingDir } : {}),
    ...(config.User ? { User: config.User } : {}),
    ...(config.Labels ? { Labels: { ...config.Labels } } : {}),
    ...(config.ExposedPorts ? { ExposedPorts: Object.fromEntries(Object.keys(config.ExposedPorts).map((port) => [port, {}])) } : {}),
    ...(healthcheck ? { Healthcheck: { ...healthcheck, Test: [...healthcheck.Test] } } : {}),
    ...(config.Shell ? { Shell: [...config.Shell] } : {}),
  };
}

/**
 * The base of a stage chain that starts from scratch, as BuildKit's Dockerfile frontend makes it: the target
 * platform, `WorkingDir` `/` and the default PATH.
 */
export function scratchConfig(platform: Platform): ImageConfigFile {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant === undefined || platform.variant === "" ? {} : { variant: platform.variant }),
    config: { WorkingDir: "/" },
    rootfs: { type: "layers", diff_ids: [] },
  };
}

export interface ComposeInput {
  /** The config the stage chain starts from (a base image's, or `scratchConfig`). */
  readonly base: ImageConfigFile;
  /** The evaluator's final config. */
  readonly evaluated: ImageConfig;
  /** The base's history followed by one entry per step of the chain. */
  readonly history: readonly ImageHistoryEntry[];
  /** A `cmd` step ran in the chain (Docker then sets `ArgsEscaped`). */
  readonly argsEscaped: boolean;
}

/** The image config to export: the base's, with the evaluator's values, `rootfs` empty and no `created`. */
export function composeImageConfig(input: ComposeInput): ImageConfigFile {
  const { base, evaluated } = input;
  const config: Record<string, unknown> = {};
  for (const field of KEPT_FIELDS) {
    const value = base.config[field];
    if (value !== undefined && value !== null && value !== "" && value !== false) config[field] = value;
  }
  const set = (field: string, value: unknown, present: boolean): void => {
    if (present) config[field] = value;
    else config[field] = undefined;
  };
  set("User", evaluated.User, evaluated.User !== "");
  set("ExposedPorts", evaluated.ExposedPorts, Object.keys(evaluated.ExposedPorts).length > 0);
  set("Env", evaluated.Env, evaluated.Env.length > 0);
  set("Entrypoint", evaluated.Entrypoint, evaluated.Entrypoint !== null);
  set("Cmd", evaluated.Cmd, evaluated.Cmd !== null);
  if (evaluated.WorkingDir !== "") config.WorkingDir = evaluated.WorkingDir;
  set("Labels", evaluated.Labels, Object.keys(evaluated.Labels).length > 0);
  if (input.argsEscaped) config.ArgsEscaped = true;
  set("Healthcheck", evaluated.Healthcheck, evaluated.Healthcheck !== undefined);
  set("Shell", evaluated.Shell, evaluated.Shell !== undefined && evaluated.Shell.length > 0);
  // Drop the fields set to undefined, keeping Docker's field order.
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined) ordered[key] = value;

  return {
    ...(base.author === undefined || base.author === "" ? {} : { author: base.author }),
    architecture: base.architecture,
    os: base.os,
    ...(base.variant === undefined || base.variant === "" ? {} : { variant: base.variant }),
    ...(base["os.version"] === undefined || base["os.version"] === "" ? {} : { "os.version": base["os.version"] }),
    ...(base["os.features"] === undefined || base["os.features"].length === 0 ? {} : { "os.features": base["os.features"] }),
    config: ordered,
    rootfs: { type: "layers", diff_ids: [] },
    history: input.history,
  };
}
