// `--base-map FROM=TO`: rewrites base images in the IR, explicitly (each mapping applied is reported), so an image
// written for `python:3.11-slim` can be built where only a local base exists. A transform of the IR: the result
// is `Image.fromJSON` of the spec with the bases replaced.

import { ChutesError, parseImageReference } from "@chutes/image-core";
import type { ImageSpec } from "@chutes/image-core";

/** One `FROM=TO` pair. */
export interface BaseMapping {
  readonly from: string;
  readonly to: string;
}

/** A base that was replaced. */
export interface AppliedMapping {
  readonly stage: string;
  readonly from: string;
  readonly to: string;
}

/** Parses `python:3.11-slim=local/debian:bookworm-minbase`; throws a ChutesError (`invalid-base-map`). */
export function parseBaseMapping(text: string): BaseMapping {
  const equals = text.indexOf("=");
  const from = equals === -1 ? "" : text.slice(0, equals);
  const to = equals === -1 ? "" : text.slice(equals + 1);
  for (const [side, value] of [
    ["FROM", from],
    ["TO", to],
  ] as const) {
    const parsed = parseImageReference(value);
    if (!parsed.ok) {
      throw new ChutesError("invalid-base-map", `--base-map ${JSON.stringify(text)}: ${side} is not an image reference (${parsed.reason}); write FROM=TO, e.g. python:3.11-slim=local/debian:bookworm-minbase`);
    }
  }
  return { from, to };
}

/** `python` and `docker.io/library/python:latest` are one image; compare references in their full form. */
export function canonicalReference(reference: string): string {
  const parsed = parseImageReference(reference);
  if (!parsed.ok) return reference;
  const { domain, path, tag, digest } = parsed.reference;
  const registry = domain ?? "docker.io";
  const repository = registry === "docker.io" && !path.includes("/") ? `library/${path}` : path;
  return `${registry}/${repository}${tag === undefined && digest === undefined ? ":latest" : tag === undefined ? "" : `:${tag}`}${digest === undefined ? "" : `@${digest}`}`;
}

/** The spec with every image base that a mapping names replaced, and what was replaced (in stage order). */
export function mapBases(spec: ImageSpec, mappings: readonly BaseMapping[]): { readonly spec: ImageSpec; readonly applied: readonly AppliedMapping[] } {
  const applied: AppliedMapping[] = [];
  const stages = spec.stages.map((stage) => {
    const base = stage.base;
    if (base === "scratch" || "stage" in base) return stage;
    const mapping = mappings.find((candidate) => canonicalReference(candidate.from) === canonicalReference(base.image));
    if (mapping === undefined) return stage;
    applied.push({ stage: stage.id, from: base.image, to: mapping.to });
    return { ...stage, base: { ...base, image: mapping.to } };
  });
  return { spec: { ...spec, stages }, applied };
}
