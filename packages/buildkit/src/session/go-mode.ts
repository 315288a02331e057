// Go's os.FileMode bits, as fsutil's Stat.mode carries them (buildkit-wire.md section 6).

import { constants as fsConstants } from "node:fs";

export const GoMode = {
  dir: 0x8000_0000,
  append: 1 << 30,
  exclusive: 1 << 29,
  temporary: 1 << 28,
  symlink: 1 << 27,
  device: 1 << 26,
  namedPipe: 1 << 25,
  socket: 1 << 24,
  setuid: 1 << 23,
  setgid: 1 << 22,
  charDevice: 1 << 21,
  sticky: 1 << 20,
  irregular: 1 << 19,
} as const;

/** Go's `os.ModeType`: the bits that make an entry something other than a regular file. */
const TYPE_BITS =
  (GoMode.dir | GoMode.symlink | GoMode.namedPipe | GoMode.socket | GoMode.device | GoMode.charDevice | GoMode.irregular) >>> 0;

/** Converts a POSIX `st_mode` to Go's `os.FileMode`, as an unsigned 32-bit number. */
export function goFileMode(stMode: number): number {
  let mode = stMode & 0o777;
  switch (stMode & fsConstants.S_IFMT) {
    case fsConstants.S_IFDIR:
      mode |= GoMode.dir;
      break;
    case fsConstants.S_IFLNK:
      mode |= GoMode.symlink;
      break;
    case fsConstants.S_IFBLK:
      mode |= GoMode.device;
      break;
    case fsConstants.S_IFCHR:
      mode |= GoMode.device | GoMode.charDevice;
      break;
    case fsConstants.S_IFIFO:
      mode |= GoMode.namedPipe;
      break;
    case fsConstants.S_IFSOCK:
      mode |= GoMode.socket;
      break;
    default:
      break;
  }
  if (stMode & 0o4000) mode |= GoMode.setuid;
  if (stMode & 0o2000) mode |= GoMode.setgid;
  if (stMode & 0o1000) mode |= GoMode.sticky;
  return mode >>> 0;
}

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
