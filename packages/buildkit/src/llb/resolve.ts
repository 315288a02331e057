// resolveBaseConfigs: the config of every base image of a spec, from the engine (`LLBBridge.ResolveImageConfig`),
// as Docker's frontend resolves a FROM. Works for images in the Docker Engine's own store (an imported image, a
// local build) as well as registry images (then pinned by digest).

import type { ImageSpec } from "@chutes/image-core";
import type { BuildKitClient } from "../client.ts";
import type { Platform } from "../control-types.ts";
import { BuildKitError } from "../errors.ts";
import { GatewayBridge } from "./bridge.ts";
import type { BaseImage, ImageConfigFile } from "./image-config.ts";
import { normalizeImageName } from "./reference.ts";

export interface ResolveBaseConfigsOptions {
  /** The target platform: which image of a multi-platform index. */
  readonly platform: Platform;
  readonly signal?: AbortSignal;
  /**
   * The ref of a gateway build already pending on the engine (`Control.Solve` with neither a definition nor a
   * frontend) to ask through. Without it, a short build of its own is started and ended.
   */
  readonly ref?: string;
}

/** The image references a spec builds on, as written (the keys `marshalLLB` looks base configs up by). */
export function baseImagesOf(spec: ImageSpec): string[] {
  const images = new Set<string>();
  for (const stage of spec.stages) {
    const base = stage.base;
    if (base !== "scratch" && "image" in base) images.add(base.image);
  }
  return [...images];
}

/**
 * Resolves the config of every base image of `spec`, keyed by the reference as the spec writes it. Throws
 * `LLBError` `invalid-reference` for a name Docker would not parse and `BuildKitError` when the engine cannot
 * resolve one (the message names the image).
 */
export async function resolveBaseConfigs(client: BuildKitClient, spec: ImageSpec, options: ResolveBaseConfigsOptions): Promise<Record<string, BaseImage>> {
  const images = baseImagesOf(spec);
  const normalized = images.map((image) => normalizeImageName(image).reference);
  if (images.length === 0) return {};
  if (options.ref !== undefined) return resolveWith(new GatewayBridge(client, options.ref, options.signal), images, normalized, options.platform);

  // A gateway build of our own, only to ask: ended with an empty result (nothing is exported).
  const job = client.startSolve({}, options.signal === undefined ? {} : { signal: options.signal });
  const bridge = new GatewayBridge(client, job.ref, options.signal);
  try {
    const resolved = await resolveWith(bridge, images, normalized, options.platform);
    await bridge.returnResult(undefined, {});
    await job.result;
    return resolved;
  } catch (error) {
    await bridge.returnError(error instanceof Error ? error.message : String(error), 1);
    await job.result.catch(() => undefined);
    throw error;
  }
}

async function resolveWith(bridge: GatewayBridge, images: readonly string[], normalized: readonly string[], platform: Platform): Promise<Record<string, BaseImage>> {
  const answers = await Promise.all(
    normalized.map((reference) => bridge.resolveImageConfig(reference, platform, `[internal] load metadata for ${reference}`)),
  );
  const out: Record<string, BaseImage> = {};
  images.forEach((image, index) => {
    const answer = answers[index];
    if (answer === undefined) return;
    out[image] = { ...(answer.digest === "" ? {} : { digest: answer.digest }), config: checkConfig(image, answer.config) };
  });
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkConfig(image: string, json: unknown): ImageConfigFile {
  if (!isRecord(json)) throw new BuildKitError("rpc-failed", `the engine returned no image config for ${image}`);
  const { architecture, os, config, rootfs } = json;
  return {
    ...json,
    architecture: typeof architecture === "string" ? architecture : "",
    os: typeof os === "string" ? os : "",
    config: isRecord(config) ? config : {},
    rootfs: isRecord(rootfs) && typeof rootfs.type === "string" && Array.isArray(rootfs.diff_ids) ? (rootfs as ImageConfigFile["rootfs"]) : { type: "layers", diff_ids: [] },
  };
}
