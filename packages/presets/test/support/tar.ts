// The members of an uncompressed tar (test-sized archives only): name without a leading `./` or `/`, type flag
// ("0" file, "5" directory, "2" symlink...) and contents. GNU long names (`L`) are followed; pax headers skipped.

export interface TarMember {
  readonly name: string;
  readonly type: string;
  readonly data: Buffer;
}

export function listTar(tar: Buffer): TarMember[] {
  const members: TarMember[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const prefix = field(345, 155);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const name = longName ?? (prefix === "" ? field(0, 100) : `${prefix}/${field(0, 100)}`);
    longName = undefined;
    if (type === "x" || type === "g") continue;
    members.push({ name: name.replace(/^\.?\//, "").replace(/\/$/, ""), type, data });
  }
  return members;
}
