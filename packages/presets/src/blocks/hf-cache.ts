// withHfCache: where Hugging Face libraries keep downloaded models and datasets.

import { definePreset } from "../preset.ts";
import type { Preset } from "../preset.ts";
import { shellWord } from "./pip.ts";

/** Options of `withHfCache`. */
export interface HfCacheOptions {
  /** HF_HOME: the root of every Hugging Face cache and token. Default `/opt/huggingface`. */
  readonly home?: string;
  /** HF_HUB_CACHE, when the hub cache should live elsewhere than `$HF_HOME/hub`. */
  readonly hubCache?: string;
  /** TRANSFORMERS_CACHE, for older transformers releases (newer ones read HF_HOME / HF_HUB_CACHE). */
  readonly transformersCache?: string;
  /** `uid:gid` to give the directories to (the runtime user), e.g. `1000:1000`. */
  readonly owner?: string;
}

/** Sets the Hugging Face cache variables and creates the directories (owned by `owner` when given). */
export function withHfCache(options: HfCacheOptions = {}): Preset {
  const home = options.home ?? "/opt/huggingface";
  const env: [string, string][] = [
    ["HF_HOME", home],
    ...(options.hubCache === undefined ? [] : [["HF_HUB_CACHE", options.hubCache] as [string, string]]),
    ...(options.transformersCache === undefined ? [] : [["TRANSFORMERS_CACHE", options.transformersCache] as [string, string]]),
  ];
  const dirs = [...new Set(env.map(([, value]) => value))];
  return definePreset({
    name: "hf-cache",
    sets: { env: env.map(([key]) => key), paths: dirs },
    apply: (image) => {
      const withEnv = env.reduce((next, [key, value]) => next.withEnv(key, value), image);
      const list = dirs.map(shellWord).join(" ");
      const chown = options.owner === undefined ? "" : ` && chown -R ${shellWord(options.owner)} ${list}`;
      return withEnv.runCommand(`mkdir -p ${list}${chown}`);
    },
  });
}
