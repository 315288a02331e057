// nonRootUser: create an unprivileged user (when its uid is free), hand it the paths it needs, and switch to it.

import { definePreset } from "../preset.ts";
import type { Preset } from "../preset.ts";
import { shellWord } from "./pip.ts";

/** Options of `nonRootUser`. */
export interface NonRootUserOptions {
  /** User (and group) name when it has to be created. Default `appuser`. */
  readonly name?: string;
  /** Default 1000. */
  readonly uid?: number;
  /** Default: the uid. */
  readonly gid?: number;
  /** Directories to create and give to the user. */
  readonly paths?: readonly string[];
  /** Working directory to set after switching (created and given to the user too). */
  readonly workdir?: string;
}

/**
 * Creates the user only if the uid (and gid) are free: Ubuntu 24.04 images already have `ubuntu` as 1000:1000, and
 * `useradd -u 1000` would fail there. Then `mkdir -p` + `chown -R` on `paths` and `workdir`, `setUser("uid:gid")`
 * (numeric, so it works whichever name owns the uid), and `setWorkdir`. Apply it after the installs: later steps
 * run as the user.
 */
export function nonRootUser(options: NonRootUserOptions = {}): Preset {
  const name = options.name ?? "appuser";
  const uid = options.uid ?? 1000;
  const gid = options.gid ?? uid;
  const paths = [...(options.paths ?? []), ...(options.workdir === undefined ? [] : [options.workdir])];
  const unique = [...new Set(paths)];
  return definePreset({
    name: "non-root-user",
    sets: { user: true, paths: unique },
    apply: (image) => {
      const list = unique.map(shellWord).join(" ");
      const lines = [
        `(getent group ${gid} >/dev/null || groupadd -g ${gid} ${shellWord(name)}) &&`,
        `(getent passwd ${uid} >/dev/null || useradd -m -u ${uid} -g ${gid} -s /bin/bash ${shellWord(name)})${unique.length > 0 ? " &&" : ""}`,
        ...(unique.length > 0 ? [`mkdir -p ${list} &&`, `chown -R ${uid}:${gid} ${list}`] : []),
      ];
      const next = image.runCommand(lines.join("\n")).setUser(`${uid}:${gid}`);
      return options.workdir === undefined ? next : next.setWorkdir(options.workdir);
    },
  });
}
