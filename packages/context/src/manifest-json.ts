// A manifest as plain JSON (the CLI's `--json`): bigints become decimal strings, nothing else changes.

import type { ContextManifest } from "./collect.ts";
import type { ContextStep } from "./decide.ts";
import type { IgnoreRule } from "./dockerignore.ts";
import type { ContextWarning, EntryType } from "./walk.ts";

/** One entry of `ManifestJSON`. */
export interface EntryJSON {
  readonly path: string;
  readonly type: EntryType;
  /** Permission bits as 4 octal digits, e.g. `"0644"`. */
  readonly mode: string;
  readonly goMode: number;
  readonly size: number;
  /** Unix nanoseconds, as a decimal string (it does not fit a JSON number). */
  readonly mtimeNs: string;
  readonly linkTarget?: string;
  readonly digest?: string;
}

/** `manifestToJSON`'s result: safe for `JSON.stringify`, stable key order. */
export interface ManifestJSON {
  readonly root: string;
  readonly ignore: { readonly file?: string; readonly rules: readonly IgnoreRule[] };
  readonly steps?: readonly ContextStep[];
  readonly warnings: readonly ContextWarning[];
  readonly entries: readonly EntryJSON[];
}

/** The manifest as JSON-safe data (device and inode numbers are left out: they mean nothing elsewhere). */
export function manifestToJSON(manifest: ContextManifest): ManifestJSON {
  return {
    root: manifest.root,
    ignore: manifest.ignore,
    ...(manifest.steps === undefined ? {} : { steps: manifest.steps }),
    warnings: manifest.warnings,
    entries: manifest.entries.map((entry) => ({
      path: entry.path,
      type: entry.type,
      mode: entry.mode.toString(8).padStart(4, "0"),
      goMode: entry.goMode,
      size: entry.size,
      mtimeNs: entry.mtimeNs.toString(),
      ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
      ...(entry.digest === undefined ? {} : { digest: entry.digest }),
    })),
  };
}
