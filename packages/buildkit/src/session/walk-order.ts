// Go `filepath.Walk` order, which fsutil's receivers demand ("changes out of order" otherwise): parents first,
// each directory's descendants right after it, siblings in increasing byte-wise order of their UTF-8 names.

/** Orders two base names byte-wise on their UTF-8 encodings (not UTF-16 code units). */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Orders two relative paths in walk order: component by component (`a`, `a/b`, `a-b`). */
export function comparePaths(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const order = compareNames(left[i] ?? "", right[i] ?? "");
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** A relative, `/`-separated, clean path: no leading `/` or `./`, no `.`/`..`/empty component. */
export function isCleanRelativePath(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.endsWith("/") || path.includes("\0")) return false;
  return path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/** The parent of a relative path, `""` for a top-level entry. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

/**
 * Checks a stream of entries against walk order: each path clean and relative, strictly after the previous
 * one, and its parent a directory sent before it. Returns the problem, or `undefined`.
 */
export class WalkOrderChecker {
  #previous: string | undefined;
  readonly #dirs = new Set<string>([""]);

  check(path: string, isDir: boolean): string | undefined {
    if (!isCleanRelativePath(path)) return `"${path}" is not a clean relative path`;
    if (this.#previous !== undefined && comparePaths(this.#previous, path) >= 0) {
      return `"${path}" comes after "${this.#previous}" (not Go walk order)`;
    }
    const parent = parentPath(path);
    if (!this.#dirs.has(parent)) return `"${path}" comes before its parent directory "${parent}"`;
    this.#previous = path;
    if (isDir) this.#dirs.add(path);
    return undefined;
  }
}
