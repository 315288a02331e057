// Go's `path/filepath.Match` on `/`-separated paths, which old fsutil uses for include patterns and followpaths.
// `*` matches any run of non-`/` characters, `?` one non-`/` character, `[...]` a class (`^` negates, `a-z`
// ranges), `\` escapes. A malformed pattern matches nothing (fsutil ignores Match's error).

type Chars = readonly string[];

interface ChunkResult {
  readonly rest: Chars;
  readonly ok: boolean;
  readonly bad: boolean;
}

/** Reports whether `name` matches the shell pattern `pattern`, as Go's `filepath.Match` on Unix. */
export function goMatch(pattern: string, name: string): boolean {
  let pat: Chars = Array.from(pattern);
  let str: Chars = Array.from(name);
  outer: while (pat.length > 0) {
    const { star, chunk, rest } = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) return !str.includes("/");
    const here = matchChunk(chunk, str);
    if (here.ok && (here.rest.length === 0 || pat.length > 0)) {
      str = here.rest;
      continue;
    }
    if (here.bad) return false;
    if (star) {
      for (let i = 0; i < str.length && str[i] !== "/"; i++) {
        const later = matchChunk(chunk, str.slice(i + 1));
        if (later.ok) {
          if (pat.length === 0 && later.rest.length > 0) continue;
          str = later.rest;
          continue outer;
        }
        if (later.bad) return false;
      }
    }
    return false;
  }
  return str.length === 0;
}

function scanChunk(pattern: Chars): { star: boolean; chunk: Chars; rest: Chars } {
  let start = 0;
  while (pattern[start] === "*") start++;
  const star = start > 0;
  let inRange = false;
  let i = start;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case "\\":
        if (i + 1 < pattern.length) i++;
        break;
      case "[":
        inRange = true;
        break;
      case "]":
        inRange = false;
        break;
      case "*":
        if (!inRange) break scan;
        break;
      default:
        break;
    }
  }
  return { star, chunk: pattern.slice(start, i), rest: pattern.slice(i) };
}

function matchChunk(chunk: Chars, str: Chars): ChunkResult {
  let c = 0;
  let s = 0;
  let failed = false;
  const fail = (): ChunkResult => ({ rest: [], ok: false, bad: false });
  const bad = (): ChunkResult => ({ rest: [], ok: false, bad: true });
  while (c < chunk.length) {
    const ch = chunk[c];
    if (!failed && s >= str.length) failed = true;
    if (ch === "[") {
      let r = "";
      if (!failed) r = str[s++] ?? "";
      c++;
      const negated = chunk[c] === "^";
      if (negated) c++;
      let matched = false;
      let ranges = 0;
      for (;;) {
        if (c < chunk.length && chunk[c] === "]" && ranges > 0) {
          c++;
          break;
        }
        const lo = getEscaped(chunk, c);
        if (lo === undefined) return bad();
        c = lo.next;
        let hi = lo.char;
        if (chunk[c] === "-") {
          const upper = getEscaped(chunk, c + 1);
          if (upper === undefined) return bad();
          c = upper.next;
          hi = upper.char;
        }
        if (codePoint(lo.char) <= codePoint(r) && codePoint(r) <= codePoint(hi)) matched = true;
        ranges++;
      }
      if (matched === negated) failed = true;
    } else if (ch === "?") {
      if (!failed) {
        if (str[s] === "/") failed = true;
        s++;
      }
      c++;
    } else if (ch === "\\") {
      c++;
      if (c >= chunk.length) return bad();
      if (!failed) {
        if (chunk[c] !== str[s]) failed = true;
        s++;
      }
      c++;
    } else {
      if (!failed) {
        if (ch !== str[s]) failed = true;
        s++;
      }
      c++;
    }
  }
  if (failed) return fail();
  return { rest: str.slice(s), ok: true, bad: false };
}

function getEscaped(chunk: Chars, index: number): { char: string; next: number } | undefined {
  let i = index;
  let ch = chunk[i];
  if (ch === undefined || ch === "-" || ch === "]") return undefined;
  if (ch === "\\") {
    i++;
    ch = chunk[i];
    if (ch === undefined) return undefined;
  }
  // An unterminated class is malformed.
  if (i + 1 >= chunk.length) return undefined;
  return { char: ch, next: i + 1 };
}

function codePoint(ch: string): number {
  return ch.codePointAt(0) ?? -1;
}
