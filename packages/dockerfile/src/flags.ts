// Instruction flags (`--chown=...`, `--mount=...`).
//
// BuildKit reads flags byte by byte (parser/split_command.go, extractBuilderFlags): quotes are removed, a
// backslash escapes the next byte, and every byte becomes a rune on its own, so non-ASCII text is mangled.
// Some flag values are then run through the shell lexer (`--chown`, mount fields), and mount values are CSV
// first. Rather than quote for three readers, we write a flag value only when it is plain printable ASCII that
// none of them treats specially, and refuse anything else.

import { LLB_HINT, requireInteger } from "./checks.ts";
import { unrenderable } from "./errors.ts";
import type { StepContext } from "./errors.ts";
import type { Mount, NetworkMode } from "@chutes/image-core";

/** Printable ASCII without blanks, quotes, backslash, backtick and `$`. */
const FLAG_VALUE = /^[A-Za-z0-9_./:@+%~^*?!=[\]{}()#&|;<>,-]+$/;
/** The same, without `,` (it separates CSV fields in `--mount`). */
const MOUNT_VALUE = /^[A-Za-z0-9_./:@+%~^*?!=[\]{}()#&|;<>-]+$/;

/** `--name=value`, after checking that `value` survives BuildKit's flag parsing as it is. */
export function flag(where: StepContext, field: string, name: string, value: string): string {
  requireFlagValue(where, field, value, FLAG_VALUE, "");
  return `--${name}=${value}`;
}

function requireFlagValue(where: StepContext, field: string, value: string, pattern: RegExp, extra: string): void {
  if (!pattern.test(value)) {
    unrenderable(
      where,
      field,
      value,
      "it is empty or has a character that Dockerfile flag parsing would change (whitespace, a quote, a " +
        `backslash, a backtick, \`$\`${extra} or anything outside printable ASCII).`,
      `Use a plain ASCII value. ${LLB_HINT}`,
    );
  }
}

/** `--mount=type=...,target=...,...` with the keys in a fixed order. */
export function mountFlag(where: StepContext, index: number, mount: Mount): string {
  const field = `mounts[${index}]`;
  const fields: string[] = [`type=${mount.type}`];
  const add = (key: string, value: string | undefined): void => {
    if (value === undefined) return;
    requireFlagValue(where, `${field}.${key}`, value, MOUNT_VALUE, ", a comma");
    fields.push(`${key}=${value}`);
  };
  const addNumber = (key: string, value: number | undefined, max: number): void => {
    if (value === undefined) return;
    requireInteger(where, `${field}.${key}`, value, 0, max);
    fields.push(`${key}=${value}`);
  };
  switch (mount.type) {
    case "cache":
      add("target", mount.target);
      add("id", mount.id);
      add("sharing", mount.sharing);
      if (mount.readonly === true) fields.push("readonly=true");
      add("mode", mount.mode);
      addNumber("uid", mount.uid, 0xffffffff);
      addNumber("gid", mount.gid, 0xffffffff);
      break;
    case "secret":
      add("target", mount.target);
      add("id", mount.id);
      add("env", mount.env);
      if (mount.required === true) fields.push("required=true");
      add("mode", mount.mode);
      addNumber("uid", mount.uid, 0xffffffff);
      addNumber("gid", mount.gid, 0xffffffff);
      break;
    case "tmpfs":
      add("target", mount.target);
      addNumber("size", mount.size, Number.MAX_SAFE_INTEGER);
      break;
    default:
      return unrenderable(where, field, mount, "its type is not cache, secret or tmpfs.", "Use one of those.");
  }
  return `--mount=${fields.join(",")}`;
}

/** `--network=none|host`; nothing for the default network. */
export function networkFlag(where: StepContext, network: NetworkMode | undefined): string | undefined {
  switch (network) {
    case undefined:
    case "default":
      return undefined;
    case "none":
    case "host":
      return `--network=${network}`;
    default:
      return unrenderable(where, "network", network, "it is not default, none or host.", "Use one of those.");
  }
}
