// Image names for the `moby` exporter, normalised as the Docker CLI does before it sends them:
// `me/app:1` is `docker.io/me/app:1`, `app` is `docker.io/library/app:latest`.

import { parseImageReference } from "@chutes/image-core";
import { BuildKitError } from "../errors.ts";

/** The fully qualified name for a tag; throws an `invalid-option` BuildKitError for one that is not a name. */
export function normaliseTag(tag: string): string {
  const parsed = parseImageReference(tag);
  if (!parsed.ok) {
    throw new BuildKitError("invalid-option", `the tag ${JSON.stringify(tag)} is not an image name: ${parsed.reason}`);
  }
  const { domain, path, digest } = parsed.reference;
  if (digest !== undefined) {
    throw new BuildKitError("invalid-option", `the tag ${JSON.stringify(tag)} has a digest; an image is named with a tag, e.g. me/app:1.0`);
  }
  const registry = domain ?? "docker.io";
  const repository = registry === "docker.io" && !path.includes("/") ? `library/${path}` : path;
  return `${registry}/${repository}:${parsed.reference.tag ?? "latest"}`;
}
