// What every template takes, and how a template turns it into a resolution and its building blocks.

import { Image } from "@chutes/image-core";
import type { ImageTransform } from "@chutes/image-core";
import { pipInstall } from "../blocks/pip.ts";
import type { PipInstallOptions } from "../blocks/pip.ts";
import { systemPythonOf, withPythonVenv, withUv } from "../blocks/python.ts";
import { withTorch } from "../blocks/torch.ts";
import type { TorchPackage } from "../blocks/torch.ts";
import { parseCudaImage } from "../cuda-image.ts";
import { appliedPresets, definePreset } from "../preset.ts";
import type { Preset } from "../preset.ts";
import { resolveTorch } from "../resolve.ts";
import type { TorchRequest, TorchResolution } from "../resolve.ts";

/** Options of the Python installer a template uses. */
export interface PythonInstallerOptions {
  readonly resolution: TorchResolution;
  /** Headers for building extensions. */
  readonly dev?: boolean;
  /** Packages to upgrade in the new environment; `false` for none. */
  readonly upgrade?: readonly string[] | false;
}

/**
 * The steps a template delegates: replace them to change how Python, torch or packages are installed (an offline
 * build, a private mirror, a placeholder in tests). Each returns an `ImageTransform`.
 */
export interface Installers {
  readonly python: (options: PythonInstallerOptions) => ImageTransform;
  readonly torch: (resolution: TorchResolution, packages?: readonly TorchPackage[]) => ImageTransform;
  readonly pip: (packages: readonly string[], options?: PipInstallOptions) => ImageTransform;
}

/** `withPythonVenv` (or `withUv` when the resolution needs another Python), `withTorch`, `pipInstall`. */
export const defaultInstallers: Installers = Object.freeze({
  python: ({ resolution, dev, upgrade }: PythonInstallerOptions): ImageTransform =>
    resolution.pythonSource === "uv"
      ? withUv({ python: resolution.python })
      : withPythonVenv({
          python: resolution.python,
          ...(dev === undefined ? {} : { dev }),
          ...(upgrade === undefined ? {} : { upgrade }),
        }),
  torch: (resolution: TorchResolution, packages?: readonly TorchPackage[]): ImageTransform =>
    withTorch({ resolution, ...(packages === undefined ? {} : { packages }) }),
  pip: (packages: readonly string[], options?: PipInstallOptions): ImageTransform => pipInstall(packages, options),
});

/** Options every template that starts an image takes. */
export interface TemplateOptions extends TorchRequest {
  readonly username?: string;
  readonly name?: string;
  readonly tag?: string;
  readonly readme?: string;
  /** Start from this image instead of the resolved one (a mirror, a local image); versions are still resolved. */
  readonly base?: string;
  /** Cache mounts for pip and uv steps (`withPipCache`). Default true. */
  readonly pipCache?: boolean;
  /** Replace some installation steps. */
  readonly installers?: Partial<Installers>;
}

/** Options of the templates that add to an existing image (`createMlImage`, `createNlpImage`). */
export interface LayerOptions extends TorchRequest {
  readonly installers?: Partial<Installers>;
}

export function installersOf(options: { readonly installers?: Partial<Installers> }): Installers {
  return { ...defaultInstallers, ...options.installers };
}

/** The request with a template's seed defaults, applied only where the request says nothing about them. */
export function withDefaults(request: TorchRequest, defaults: { readonly cuda: string; readonly ubuntu: string; readonly flavor: TorchRequest["flavor"] }): TorchRequest {
  const pinned = request.torch !== undefined || request.cuda !== undefined;
  return {
    ...pick(request),
    ...(pinned ? {} : { cuda: defaults.cuda }),
    ...(pinned || request.ubuntu !== undefined || request.python !== undefined ? {} : { ubuntu: defaults.ubuntu }),
    ...(request.flavor === undefined && defaults.flavor !== undefined ? { flavor: defaults.flavor } : {}),
  };
}

/** Only the request fields of a larger options object (so `exactOptionalPropertyTypes` holds). */
export function pick(options: TorchRequest): TorchRequest {
  return {
    ...(options.torch === undefined ? {} : { torch: options.torch }),
    ...(options.cuda === undefined ? {} : { cuda: options.cuda }),
    ...(options.python === undefined ? {} : { python: options.python }),
    ...(options.gpus === undefined ? {} : { gpus: options.gpus }),
    ...(options.flavor === undefined ? {} : { flavor: options.flavor }),
    ...(options.ubuntu === undefined ? {} : { ubuntu: options.ubuntu }),
  };
}

/**
 * Records a resolution on the image (a `torch-target` preset that declares nothing and notes the torch pin, wheel
 * index and Python) so that layers added later (`createMlImage(createBaseAiImage(...))`) resolve the same versions.
 */
export function recordTarget(resolution: TorchResolution): Preset {
  return definePreset({
    name: "torch-target",
    sets: {},
    notes: { torch: resolution.pins.torch, index: resolution.index, python: resolution.python },
    apply: (image) => image,
  });
}

/** Starts an image: `new Image(...)` from the resolved (or overriding) base. */
export function startImage(
  options: TemplateOptions,
  defaults: { readonly name: string; readonly tag?: string },
  baseImage: string,
): Image {
  return new Image(options.username ?? "myuser", options.name ?? defaults.name, options.tag ?? defaults.tag ?? "1.0.0", options.readme).fromBase(
    options.base ?? baseImage,
  );
}

/**
 * Resolves torch for an image built so far: the CUDA version, Ubuntu release and flavor come from its
 * `nvidia/cuda` base (any other base means CPU wheels), the Python from the venv preset applied to it.
 */
export function resolveFor(image: Image, request: TorchRequest): TorchResolution {
  const base = image.toJSON().stages.at(-1)?.base;
  const reference = base === undefined || base === "scratch" || "stage" in base ? undefined : base.image;
  const info = reference === undefined ? undefined : parseCudaImage(reference);
  const presets = appliedPresets(image);
  const noted = (key: string): string | undefined =>
    presets
      .map((preset) => preset.notes[key])
      .filter((value): value is string => value !== undefined)
      .at(-1);
  const python = request.python ?? noted("python") ?? systemPythonOf(image);
  const torch = request.torch ?? noted("torch");
  const index = request.torch === undefined ? noted("index") : undefined;
  return resolveTorch({
    ...pick(request),
    ...(torch === undefined ? {} : { torch }),
    ...(request.cuda === undefined ? { cuda: index ?? info?.cuda ?? "cpu" } : {}),
    ...(request.ubuntu === undefined && info?.ubuntu !== undefined ? { ubuntu: info.ubuntu } : {}),
    ...(request.flavor === undefined && info !== undefined ? { flavor: info.flavor } : {}),
    ...(python === undefined ? {} : { python }),
  });
}
