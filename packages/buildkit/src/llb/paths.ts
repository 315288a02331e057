// Go's `path.Clean` / `path.Join` and byte-wise string order: what BuildKit's Go client uses for LLB paths and
// for sorting (map keys, mount targets), so our bytes come out as Go's would.

/** Go's `path.Clean`. */
export function cleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts.at(-1) !== "..") parts.pop();
      else if (!rooted) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  const cleaned = (rooted ? "/" : "") + parts.join("/");
  return cleaned === "" ? "." : cleaned;
}

/** Go's `path.Join`. */
export function joinPath(...elements: readonly string[]): string {
  const nonEmpty = elements.filter((element) => element !== "");
  return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join("/"));
}

/** `filepath.Join("/", p)`: an absolute, clean path inside the root. */
export function rootedPath(path: string): string {
  return joinPath("/", path);
}

const encoder = new TextEncoder();

/** Byte-wise order of the UTF-8 encodings (Go's string comparison); differs from `<` outside the BMP. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** `JSON.stringify` as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
