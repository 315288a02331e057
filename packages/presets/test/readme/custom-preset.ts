import { Image } from "@chutes/image-core";
import { definePreset, presetConflicts, withHfCache } from "@chutes/presets";
import type { Preset } from "@chutes/presets";

/** A model cache on a persistent volume: declares the variables and the path it owns. */
export function withModelVolume(path = "/models"): Preset {
  return definePreset({
    name: "model-volume",
    sets: { env: ["HF_HOME"], paths: [path] },
    apply: (image) => image.withEnv("HF_HOME", path).runCommand(`mkdir -p ${path}`),
  });
}

export const image = new Image("myuser", "app", "1.0.0")
  .fromBase("nvidia/cuda:12.8.2-base-ubuntu24.04")
  .with(withHfCache())
  .with(withModelVolume());

// Both presets set HF_HOME: reported with both steps and a fix.
export const conflicts = presetConflicts(image);
console.log(conflicts.map((issue) => `${issue.code}: ${issue.message}`));
