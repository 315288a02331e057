// Image names as Docker normalises them (github.com/distribution/reference: ParseNormalizedNamed, then
// TagNameOnly): `python:3.11` is `docker.io/library/python:3.11`, `local/debian:x` is `docker.io/local/debian:x`,
// `ghcr.io/org/img` is `ghcr.io/org/img:latest`. The engine accepts unnormalised names too, but as a different
// op digest and cache key, so the LLB back end always normalises.

import { parseImageReference } from "@chutes/image-core";
import { LLBError } from "./errors.ts";

/** A normalised image reference. */
export interface NormalizedReference {
  /** `docker.io/library/python`: domain and path, no tag or digest. */
  readonly name: string;
  /** The tag; `latest` when neither a tag nor a digest was given; absent with a digest alone. */
  readonly tag?: string;
  readonly digest?: string;
  /** `name[:tag][@digest]`, what `docker-image://` sources and `ResolveImageConfig` take. */
  readonly reference: string;
}

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_PREFIX = "library/";
const IDENTIFIER = /^[a-f0-9]{64}$/;

/** Normalises an image reference as Docker does; throws `LLBError` `invalid-reference` when it is not one. */
export function normalizeImageName(text: string): NormalizedReference {
  if (IDENTIFIER.test(text)) {
    throw new LLBError("invalid-reference", `invalid image reference "${text}": a 64-character hexadecimal string is an image id, not a name`);
  }
  const slash = text.indexOf("/");
  const first = slash === -1 ? "" : text.slice(0, slash);
  let domain: string;
  let remainder: string;
  if (slash === -1 || (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = text;
  } else {
    domain = first;
    remainder = text.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes("/")) remainder = OFFICIAL_PREFIX + remainder;

  const parsed = parseImageReference(`${domain}/${remainder}`);
  if (!parsed.ok) throw new LLBError("invalid-reference", `invalid image reference "${text}": ${parsed.reason}`);
  const { path, tag, digest } = parsed.reference;
  const name = `${domain}/${path}`;
  const finalTag = tag ?? (digest === undefined ? "latest" : undefined);
  const reference = `${name}${finalTag === undefined ? "" : `:${finalTag}`}${digest === undefined ? "" : `@${digest}`}`;
  return {
    name,
    ...(finalTag === undefined ? {} : { tag: finalTag }),
    ...(digest === undefined ? {} : { digest }),
    reference,
  };
}
