// withTorch: torch, torchvision and torchaudio with exact pins, all from one wheel index, then pinned for every
// later pip install.

import { definePreset } from "../preset.ts";
import type { Preset } from "../preset.ts";
import { resolveTorch } from "../resolve.ts";
import type { TorchRequest, TorchResolution } from "../resolve.ts";
import { runPip, shellWord } from "./pip.ts";

export type TorchPackage = "torch" | "torchvision" | "torchaudio";

/** Options of `withTorch`: a request to resolve, or a resolution. */
export interface WithTorchOptions extends TorchRequest {
  /** Use this resolution instead of resolving the request. */
  readonly resolution?: TorchResolution;
  /** Which of the three to install. Default all three. */
  readonly packages?: readonly TorchPackage[];
  /**
   * Write the pins to `/etc/pip/torch-constraints.txt` and set PIP_CONSTRAINT / UV_CONSTRAINT to it, so a later
   * `pip install xformers` cannot swap torch for another build. Default true.
   */
  readonly constrain?: boolean;
}

/** Where `withTorch` writes the pins. */
export const TORCH_CONSTRAINTS = "/etc/pip/torch-constraints.txt";

/**
 * Installs exact torch / torchvision / torchaudio pins from one index (`--index-url`, so no package can come from
 * another build), resolved with `resolveTorch` (which throws a `ValidationError` for an impossible combination).
 * Needs a `pip` on PATH (`withPythonVenv` or `withUv` first).
 */
export function withTorch(options: WithTorchOptions = {}): Preset {
  const resolution = options.resolution ?? resolveTorch(options);
  const packages = options.packages ?? ["torch", "torchvision", "torchaudio"];
  const constrain = options.constrain ?? true;
  const pins = packages.map((name) => `${name}==${resolution.pins[name]}`);
  return definePreset({
    name: "torch",
    sets: constrain ? { env: ["PIP_CONSTRAINT", "UV_CONSTRAINT"], paths: [TORCH_CONSTRAINTS] } : {},
    notes: { torch: resolution.pins.torch, index: resolution.index, python: resolution.python },
    apply: (image) => {
      const installed = runPip(image, "install", [...pins, `--index-url ${shellWord(resolution.wheelIndex)}`]);
      if (!constrain) return installed;
      const lines = pins.map((pin) => `'${pin}'`).join(" ");
      return installed
        .runCommand(`mkdir -p /etc/pip && printf '%s\\n' ${lines} > ${TORCH_CONSTRAINTS}`)
        .withEnv("PIP_CONSTRAINT", TORCH_CONSTRAINTS)
        .withEnv("UV_CONSTRAINT", TORCH_CONSTRAINTS);
    },
  });
}
