// Docker image references, with the grammar of github.com/distribution/reference:
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [domain "/"] remote-name            (at most 255 characters)
//   domain     := host [":" port]                      (a first component with "." or ":", or "localhost")
//   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag        := [\w][\w.-]{0,127}
//   digest     := algorithm ":" hex                     (sha256: 64 hex, sha384: 96, sha512: 128)

/** A parsed image reference. `domain` and `tag` are as written; nothing is defaulted. */
export interface ParsedReference {
  readonly domain?: string;
  /** The path after the domain, e.g. `library/python` or `nvidia/cuda`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const NAME_MAX = 255;

/** The result of parsing: the reference, or why it is not one (a sentence that ends with the fix). */
export type ReferenceResult =
  | { readonly ok: true; readonly reference: ParsedReference }
  | { readonly ok: false; readonly reason: string };

/** Parses a Docker image reference (`python:3.11-slim`, `ghcr.io/org/img@sha256:...`). */
export function parseImageReference(text: string): ReferenceResult {
  if (text === "") return fail("it is empty; give an image such as python:3.11-slim");
  if (/\s/.test(text)) return fail("it contains whitespace; remove it");
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      return fail(`the digest "${digest}" is not sha256:, sha384: or sha512: followed by lowercase hex of the right length`);
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      return fail(`the tag "${tag}" is not valid: use letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters`);
    }
  }
  if (rest === "") return fail("the repository name is empty");
  if (rest.length > NAME_MAX) return fail(`the repository name is longer than ${NAME_MAX} characters`);
  const parts = rest.split("/");
  let domain: string | undefined;
  const first = parts[0] ?? "";
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    domain = first;
    parts.shift();
    const [host = "", port, ...more] = domain.split(":");
    if (more.length > 0 || (port !== undefined && !PORT.test(port)) || !host.split(".").every((c) => DOMAIN_COMPONENT.test(c))) {
      return fail(`the registry "${domain}" is not a valid host[:port]`);
    }
  }
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      if (part.toLowerCase() !== part && COMPONENT.test(part.toLowerCase())) {
        return fail(`"${part}" has uppercase letters; repository names must be lowercase`);
      }
      return fail(`"${part}" is not a valid path component: use lowercase letters and digits, separated by ".", "_", "__" or "-"`);
    }
  }
  const reference: ParsedReference = {
    ...(domain === undefined ? {} : { domain }),
    path: parts.join("/"),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
  return { ok: true, reference };
}

/** True for a valid Docker tag. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** True for `sha256:`/`sha384:`/`sha512:` + lowercase hex of the right length. */
export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

function fail(reason: string): ReferenceResult {
  return { ok: false, reason };
}
