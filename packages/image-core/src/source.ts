// What an add/copy source is: a path in the build context, a URL, or a git repository (Docker's rules).

export type SourceKind = "local" | "url" | "git";

/**
 * Classifies an `add` source the way Docker's Dockerfile frontend does: `git@...`, `git://...` and URLs
 * ending in `.git` (optionally followed by `#ref`) are git; other `http(s)://` URLs are downloads;
 * everything else is a path (or glob) relative to the build context.
 */
export function classifySource(source: string): SourceKind {
  if (/^git@[^:]+:/.test(source) || source.startsWith("git://")) return "git";
  if (/^https?:\/\//i.test(source)) {
    const beforeFragment = source.split("#", 1)[0] ?? source;
    return /\.git\/?$/.test(beforeFragment) ? "git" : "url";
  }
  return "local";
}
