// Request metadata of a session call. Node's http2 joins repeated headers with ", " in the headers object, which
// would corrupt patterns that contain a comma, so the session reads the raw header list instead.

/** Lowercased header name -> every value, in the order received (pseudo-headers left out). */
export type Metadata = ReadonlyMap<string, readonly string[]>;

/** Builds `Metadata` from http2's raw header list (`[name, value, name, value, ...]`). */
export function metadataFromRawHeaders(rawHeaders: readonly string[]): Metadata {
  const metadata = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    if (name.startsWith(":")) continue;
    const value = rawHeaders[i + 1] ?? "";
    const values = metadata.get(name);
    if (values === undefined) metadata.set(name, [value]);
    else values.push(value);
  }
  return metadata;
}

/** What the engine asked a FileSync.DiffCopy call for (buildkit-wire.md section 6, "DiffCopy request metadata"). */
export interface SyncRequest {
  /** The local's name (`context`, `dockerfile`): header `dir-name`. */
  readonly dirName: string;
  /** Header `include-patterns`, one per line: only matching paths (and the directories on their way). */
  readonly includePatterns: readonly string[];
  /** Header `exclude-patterns`: the `.dockerignore` patterns the frontend read. The source applies its own. */
  readonly excludePatterns: readonly string[];
  /** Header `followpaths`: paths to send (symlinks on the way followed), e.g. `Dockerfile`, `.dockerignore`. */
  readonly followPaths: readonly string[];
  /** Header `override-excludes: true` (never sent by BuildKit 0.8 sources). */
  readonly overrideExcludes: boolean;
}

/** Reads a DiffCopy call's metadata; `dirName` is `""` when the header is missing. */
export function parseSyncRequest(metadata: Metadata): SyncRequest {
  return {
    dirName: metadata.get("dir-name")?.[0] ?? "",
    includePatterns: metadata.get("include-patterns") ?? [],
    excludePatterns: metadata.get("exclude-patterns") ?? [],
    followPaths: metadata.get("followpaths") ?? [],
    overrideExcludes: metadata.get("override-excludes")?.[0] === "true",
  };
}
