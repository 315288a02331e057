// Content identity: the Chutes SDK's uid, and a digest of the IR that ignores key order.

import { createHash } from "node:crypto";
import { v5 as uuidv5 } from "uuid";
import type { ImageRef, ImageSpec } from "./ir.ts";

/** Python's `uuid.NAMESPACE_OID`, which the Chutes SDK uses for image uids. */
export const NAMESPACE_OID = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";

/** The Chutes SDK's image uid: `uuid5(NAMESPACE_OID, f"{username.lower()}/{name}:{tag}")`. */
export function imageUid(ref: ImageRef): string {
  return uuidv5(`${ref.username.toLowerCase()}/${ref.name}:${ref.tag}`, NAMESPACE_OID);
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members dropped.
 * Arrays keep their order (the user's order is meaningful in the IR).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`cannot serialize ${String(value)}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** `sha256:<hex>` of the canonical JSON of a spec: equal specs give equal digests, whatever their key order. */
export function specDigest(spec: ImageSpec): string {
  return `sha256:${createHash("sha256").update(canonicalJson(spec), "utf8").digest("hex")}`;
}
