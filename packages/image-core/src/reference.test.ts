import { describe, expect, it } from "vitest";
import { parseImageReference } from "./reference.ts";

describe("parseImageReference", () => {
  it.each([
    ["python:3.11-slim", { path: "python", tag: "3.11-slim" }],
    ["nvidia/cuda:11.8-devel-ubuntu22.04", { path: "nvidia/cuda", tag: "11.8-devel-ubuntu22.04" }],
    ["localhost:5000/team/app", { domain: "localhost:5000", path: "team/app" }],
    ["ghcr.io/org/img:v1", { domain: "ghcr.io", path: "org/img", tag: "v1" }],
    [`busybox@sha256:${"a".repeat(64)}`, { path: "busybox", digest: `sha256:${"a".repeat(64)}` }],
    ["local/debian:bookworm-minbase", { path: "local/debian", tag: "bookworm-minbase" }],
    ["a__b/c---d", { path: "a__b/c---d" }],
  ])("accepts %s", (text, reference) => {
    expect(parseImageReference(text)).toEqual({ ok: true, reference });
  });

  it.each([
    ["", "it is empty; give an image such as python:3.11-slim"],
    ["Python:3.11", '"Python" has uppercase letters; repository names must be lowercase'],
    ["python:", 'the tag "" is not valid: use letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters'],
    ["python:3.11 slim", "it contains whitespace; remove it"],
    ["python@sha256:abc", 'the digest "sha256:abc" is not sha256:, sha384: or sha512: followed by lowercase hex of the right length'],
    ["-python", '"-python" is not a valid path component: use lowercase letters and digits, separated by ".", "_", "__" or "-"'],
    ["a//b", '"" is not a valid path component: use lowercase letters and digits, separated by ".", "_", "__" or "-"'],
    ["my_registry:x:5000/app", 'the registry "my_registry:x:5000" is not a valid host[:port]'],
  ])("refuses %j", (text, reason) => {
    expect(parseImageReference(text)).toEqual({ ok: false, reason });
  });
});
