// pip steps and the pip cache.
//
// Design: the cache is a property of the image definition, carried by the environment. `withPipCache()` sets
// PIP_CACHE_DIR and UV_CACHE_DIR (pip and uv read them); every pip step this package emits (`pipInstall`,
// `withTorch`, `withPythonVenv`, the templates) looks them up in the image so far and then runs with a BuildKit cache
// mount on those directories, so downloads are reused across builds and never land in a layer. Without
// `withPipCache()`, the same steps pass `--no-cache-dir` (uv: `--no-cache`). For your own `runCommand`, pass
// `{ mounts: pipCacheMounts(image) }`. Apply `withPipCache()` before the installs, while the user is still root
// (the cache directories are root's).

import type { CacheMount, Image, ImageSpec, ImageTransform, Mount, Stage } from "@chutes/image-core";
import { definePreset } from "../preset.ts";
import type { Preset } from "../preset.ts";

/** Options of `withPipCache`. */
export interface PipCacheOptions {
  /** pip's cache directory. Default `/root/.cache/pip`. */
  readonly pip?: string;
  /** uv's cache directory. Default `/root/.cache/uv`. */
  readonly uv?: string;
}

/** Turns on cache mounts for the pip and uv steps that follow. */
export function withPipCache(options: PipCacheOptions = {}): Preset {
  const pip = options.pip ?? "/root/.cache/pip";
  const uv = options.uv ?? "/root/.cache/uv";
  return definePreset({
    name: "pip-cache",
    sets: { env: ["PIP_CACHE_DIR", "UV_CACHE_DIR"] },
    apply: (image) => image.withEnv("PIP_CACHE_DIR", pip).withEnv("UV_CACHE_DIR", uv),
  });
}

/** The environment the next step of the image's final stage sees, as written (not expanded). */
export function environmentOf(image: Image | ImageSpec): ReadonlyMap<string, string> {
  const spec = "toJSON" in image ? image.toJSON() : image;
  const byId = new Map(spec.stages.map((stage) => [stage.id, stage]));
  const chain: Stage[] = [];
  const seen = new Set<string>();
  for (let stage: Stage | undefined = spec.stages.at(-1); stage !== undefined && !seen.has(stage.id); ) {
    seen.add(stage.id);
    chain.unshift(stage);
    const base: Stage["base"] = stage.base;
    stage = typeof base === "object" && "stage" in base ? byId.get(base.stage) : undefined;
  }
  const env = new Map<string, string>();
  for (const stage of chain) for (const step of stage.steps) if (step.kind === "env") env.set(step.key, step.value);
  return env;
}

/** The cache mounts pip and uv steps should use at this point of the image (empty without `withPipCache`). */
export function pipCacheMounts(image: Image | ImageSpec): CacheMount[] {
  const env = environmentOf(image);
  return ["PIP_CACHE_DIR", "UV_CACHE_DIR"].flatMap((key) => {
    const target = env.get(key);
    return target === undefined || target === "" ? [] : [{ type: "cache" as const, target }];
  });
}

/** Quotes a word for sh when it has characters the shell would interpret (`numpy<2`, `transformers[torch]`). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._/=:@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `pip <subcommand> <parts...>` with the cache mounts when the cache is on, else with `--no-cache-dir`. Parts
 * are written as given (quote words with `shellWord` first; a part may hold an option and its value); more than
 * three go on their own lines.
 */
export function runPip(
  image: Image,
  subcommand: "install" | "wheel",
  words: readonly string[],
  tool: "pip" | "uv" = "pip",
  extraMounts: readonly Mount[] = [],
): Image {
  const cache = pipCacheMounts(image);
  const mounts = [...cache, ...extraMounts];
  const noCache = tool === "pip" ? "--no-cache-dir" : "--no-cache";
  const head = tool === "pip" ? `pip ${subcommand}` : `uv pip ${subcommand}`;
  const all = [...(cache.length > 0 ? [] : [noCache]), ...words];
  const text = all.length > 3 ? [head, ...all.map((word) => `    ${word}`)].join("\n") : [head, ...all].join(" ");
  return image.runCommand(text, mounts.length > 0 ? { mounts } : {});
}

/** Options of `pipInstall`. */
export interface PipInstallOptions {
  /** `--index-url` (replaces PyPI). */
  readonly indexUrl?: string;
  /** `--extra-index-url`. */
  readonly extraIndexUrl?: string;
  /** A requirements file in the image (`-r`). */
  readonly requirements?: string;
  /** More pip arguments, written as given (`--no-build-isolation`). */
  readonly args?: readonly string[];
  /**
   * More mounts for the step, after the cache's: a private index's credentials as a secret, e.g.
   * `{ type: "secret", id: "pip-conf", target: "/etc/pip.conf" }` or `{ type: "secret", id: "pip-index", env: "PIP_INDEX_URL" }`.
   */
  readonly mounts?: readonly Mount[];
}

/**
 * `pip install` of packages (quoted for the shell as needed), with the cache mount when `withPipCache` was applied
 * before, else `--no-cache-dir`. Runs the `pip` on PATH: the venv's after `withPythonVenv` / `withUv`.
 */
export function pipInstall(packages: readonly string[], options: PipInstallOptions = {}): ImageTransform {
  const words = [
    ...packages.map(shellWord),
    ...(options.requirements === undefined ? [] : [`-r ${shellWord(options.requirements)}`]),
    ...(options.args ?? []),
    ...(options.indexUrl === undefined ? [] : [`--index-url ${shellWord(options.indexUrl)}`]),
    ...(options.extraIndexUrl === undefined ? [] : [`--extra-index-url ${shellWord(options.extraIndexUrl)}`]),
  ];
  return (image) => runPip(image, "install", words, "pip", options.mounts);
}
