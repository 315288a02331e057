// Go's os.FileMode bits, as fsutil's Stat.mode carries them (buildkit-wire.md section 6), and tests on them.

import { GoFileMode, goFileMode } from "@chutes/context";

/** Go's `os.FileMode` bits: the context walker's, so the manifest and the session agree by construction. */
export const GoMode = GoFileMode;
export { goFileMode };

/** Go's `os.ModeType`: the bits that make an entry something other than a regular file. */
const TYPE_BITS =
  (GoMode.dir | GoMode.symlink | GoMode.namedPipe | GoMode.socket | GoMode.device | GoMode.charDevice | GoMode.irregular) >>> 0;

/** A regular file: no type bits. Only these can be requested (fsutil `fileCanRequestData`). */
export function isRegularMode(goMode: number): boolean {
  return ((goMode >>> 0) & TYPE_BITS) === 0;
}

export function isDirMode(goMode: number): boolean {
  return ((goMode >>> 0) & GoMode.dir) !== 0;
}

export function isSymlinkMode(goMode: number): boolean {
  return ((goMode >>> 0) & GoMode.symlink) !== 0;
}

/** The POSIX permission bits of a Go mode: 0o777 plus setuid, setgid and sticky as 0o7000. */
export function posixPermissions(goMode: number): number {
  const mode = goMode >>> 0;
  let perm = mode & 0o777;
  if (mode & GoMode.setuid) perm |= 0o4000;
  if (mode & GoMode.setgid) perm |= 0o2000;
  if (mode & GoMode.sticky) perm |= 0o1000;
  return perm;
}
