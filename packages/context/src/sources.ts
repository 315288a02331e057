// The sources of `add`/`copy` steps: cleaning, refusing escapes, globs, and resolving symlinks inside the root.
//
// Docker's COPY follows a source that is a symlink (and symlinks on the way to it) inside the context, so the
// context must hold the link and what it points to. We resolve those links component by component with
// `lstat`/`readlink` only, never opening a path whose parent might be a link, so nothing outside the root is
// ever touched; a link that leads outside is refused.

import { lstat, readlink } from "node:fs/promises";
import { join, posix } from "node:path";
import { ContextError } from "./errors.ts";
import { errorCode, fsError } from "./walk.ts";

/** Where a source came from, for errors and warnings. */
export interface SourceOrigin {
  readonly stage: string;
  readonly step: number;
  readonly source: string;
}

/** How many symlinks one source may pass through before we call it a loop (Linux's limit is 40). */
const MAX_LINK_HOPS = 40;

/** Go's `filepath.Clean` for `/`-separated paths: `.`, `..` and repeated slashes resolved lexically. */
export function cleanPath(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (absolute) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/**
 * The context-relative form of a step's source (`""` for the root itself). Throws `ContextError`
 * `outside-context` for an absolute source or one that climbs out with `..`.
 */
export function contextRelative(source: string, origin: SourceOrigin): string {
  if (source.startsWith("/")) {
    throw outside(origin, source, `the source ${JSON.stringify(source)} is an absolute path; sources are relative to the context root`);
  }
  const clean = cleanPath(source);
  if (clean === ".." || clean.startsWith("../")) {
    throw outside(origin, source, `the source ${JSON.stringify(source)} climbs out of the context root`);
  }
  return clean === "." ? "" : clean;
}

/** True when a path holds `*`, `?` or `[` that a `\` does not escape (Docker's `containsWildcards`). */
export function hasWildcards(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === "\\") i++;
    else if (ch === "*" || ch === "?" || ch === "[") return true;
  }
  return false;
}

/** Splits a clean relative path at its first component with a wildcard: `["src", "**\/*.py"]`. */
export function splitWildcards(path: string): { readonly prefix: string; readonly rest: string } {
  const parts = path === "" ? [] : path.split("/");
  const index = parts.findIndex(hasWildcards);
  if (index < 0) return { prefix: path, rest: "" };
  return { prefix: parts.slice(0, index).join("/"), rest: parts.slice(index).join("/") };
}

/** Removes the `\` escapes of a literal path (`a\[1\]` names the file `a[1]`). */
export function unescapeLiteral(path: string): string {
  return path.replace(/\\(.)/gs, "$1");
}

/**
 * Compiles a glob over context-relative paths: `*` and `?` stay within a component, `**` spans components
 * (`**\/` also matches nothing), `[...]` is a class (`[^...]` negated), `\` escapes. Anchored at both ends.
 */
export function globToRegExp(glob: string, origin: SourceOrigin): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? "";
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else {
          out += ".*";
        }
      } else {
        out += "[^/]*";
      }
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "\\") {
      i++;
      if (i >= glob.length) throw invalidSource(origin, "it ends with a lone backslash");
      out += escapeRegExp(glob[i] ?? "");
    } else if (ch === "[") {
      const end = classEnd(glob, i);
      if (end < 0) throw invalidSource(origin, "a character class `[` is not closed");
      let body = glob.slice(i + 1, end);
      let negated = false;
      if (body.startsWith("^") || body.startsWith("!")) {
        negated = true;
        body = body.slice(1);
      }
      if (body === "") throw invalidSource(origin, "a character class is empty");
      let inner = "";
      for (let j = 0; j < body.length; j++) {
        const c = body[j] ?? "";
        if (c === "\\") inner += escapeClassChar(body[++j] ?? "");
        else inner += c === "]" || c === "^" || c === "[" ? `\\${c}` : c;
      }
      out += negated ? `[^/${inner}]` : `(?!/)[${inner}]`;
      i = end;
    } else {
      out += escapeRegExp(ch);
    }
  }
  try {
    return new RegExp(`^${out}$`, "s");
  } catch (error) {
    throw invalidSource(origin, (error as Error).message);
  }
}

function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "^" || glob[i] === "!") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "]") return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function escapeClassChar(ch: string): string {
  return /[\][\\^-]/.test(ch) ? `\\${ch}` : ch;
}

/** The outcome of resolving a literal source. */
export interface ResolvedSource {
  /** The symlinks passed through on the way (context-relative), in order. */
  readonly links: readonly string[];
  /** The path finally named, with every symlink resolved; `undefined` when it does not exist. */
  readonly target: string | undefined;
}

/**
 * Resolves a context-relative path the way COPY follows a source: every symlink on the way (and the last
 * component, if a link) is followed inside `root`. Throws `outside-context` when a link leads out of the root
 * (absolute target or too many `..`), and `unreadable` for a loop.
 */
export async function resolveInside(root: string, path: string, origin: SourceOrigin): Promise<ResolvedSource> {
  const links: string[] = [];
  let hops = 0;
  const resolve = async (relative: string): Promise<string | undefined> => {
    let current = "";
    const parts = relative === "" ? [] : relative.split("/");
    for (let i = 0; i < parts.length; i++) {
      const candidate = current === "" ? (parts[i] ?? "") : `${current}/${parts[i] ?? ""}`;
      let stat;
      try {
        stat = await lstat(join(root, candidate));
      } catch (error) {
        const code = errorCode(error);
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        throw fsError(error, candidate, "the source");
      }
      if (stat.isSymbolicLink()) {
        if (++hops > MAX_LINK_HOPS) {
          throw new ContextError("unreadable", `${where(origin)}: too many levels of symbolic links resolving ${JSON.stringify(origin.source)} (a loop at ${candidate}?)`, { path: candidate, step: origin.step });
        }
        links.push(candidate);
        const target = await readlink(join(root, candidate));
        if (target.startsWith("/")) {
          throw outside(origin, candidate, `the source ${JSON.stringify(origin.source)} goes through the symlink ${candidate} -> ${target}, which points outside the context`);
        }
        const next = cleanPath(posix.join(current === "" ? "." : current, target));
        if (next === ".." || next.startsWith("../")) {
          throw outside(origin, candidate, `the source ${JSON.stringify(origin.source)} goes through the symlink ${candidate} -> ${target}, which points outside the context`);
        }
        const resolved = await resolve(next === "." ? "" : next);
        if (resolved === undefined) return undefined;
        current = resolved;
      } else {
        if (i < parts.length - 1 && !stat.isDirectory()) return undefined;
        current = candidate;
      }
    }
    return current;
  };
  const target = await resolve(path);
  return { links, target };
}

function where(origin: SourceOrigin): string {
  return `step ${origin.step} of stage ${JSON.stringify(origin.stage)}`;
}

function outside(origin: SourceOrigin, path: string, message: string): ContextError {
  return new ContextError("outside-context", `${where(origin)}: ${message}`, { path, step: origin.step });
}

function invalidSource(origin: SourceOrigin, problem: string): ContextError {
  return new ContextError("invalid-option", `${where(origin)}: the source ${JSON.stringify(origin.source)} is not a valid pattern: ${problem}`, {
    path: origin.source,
    step: origin.step,
  });
}
