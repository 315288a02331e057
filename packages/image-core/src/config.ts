// The image configuration the evaluator computes, named as in the OCI image config / `docker inspect`.

export interface HealthcheckConfig {
  /** `["CMD", ...argv]`, or `["NONE"]` when disabled. */
  readonly Test: readonly string[];
  /** Nanoseconds, as in the image config. */
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly StartInterval?: number;
  readonly Retries?: number;
}

/** The runtime configuration of an image (the `config` object of an OCI image config). */
export interface ImageConfig {
  /** `KEY=value`, in definition order; a key set again keeps its first position. */
  readonly Env: readonly string[];
  readonly Entrypoint: readonly string[] | null;
  readonly Cmd: readonly string[] | null;
  /** Absolute; empty string when never set (Docker's default `/`). */
  readonly WorkingDir: string;
  /** Empty string when never set (root). */
  readonly User: string;
  /** Sorted by key. */
  readonly Labels: Readonly<Record<string, string>>;
  /** `"8000/tcp": {}`, sorted by key. */
  readonly ExposedPorts: Readonly<Record<string, Record<string, never>>>;
  readonly Healthcheck?: HealthcheckConfig;
  /** Only when a `shell` step set one. */
  readonly Shell?: readonly string[];
}

/** What a base image may contribute; every field optional (an imported image has almost nothing). */
export type BaseImageConfig = Partial<ImageConfig>;

/** The PATH Docker's Dockerfile frontend uses when the base image sets none. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
