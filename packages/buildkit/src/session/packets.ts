// fsutil packets, encoded and decoded with the generated types (proto/session/fsutil.proto).

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Packet } from "../gen/session/fsutil_pb.ts";
import { PacketSchema, Packet_PacketType, StatSchema } from "../gen/session/fsutil_pb.ts";
import { SessionError } from "./errors.ts";
import type { SyncEntry } from "./source.ts";

export { Packet_PacketType as PacketType };
export type { Packet };

/** The STAT packet of one entry. */
export function statPacket(entry: SyncEntry): Uint8Array {
  const stat = create(StatSchema, {
    path: entry.path,
    mode: entry.mode >>> 0,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    size: BigInt(entry.size),
    modTime: entry.mtimeNs,
    linkname: entry.linkTarget ?? "",
  });
  return toBinary(PacketSchema, create(PacketSchema, { type: Packet_PacketType.PACKET_STAT, stat }));
}

/** The empty STAT that ends the entry list (zero bytes on the wire). */
export function endOfStatsPacket(): Uint8Array {
  return toBinary(PacketSchema, create(PacketSchema, { type: Packet_PacketType.PACKET_STAT }));
}

export function requestPacket(id: number): Uint8Array {
  return toBinary(PacketSchema, create(PacketSchema, { type: Packet_PacketType.PACKET_REQ, id }));
}

/** A chunk of file `id`; an empty `data` ends the file. */
export function dataPacket(id: number, data: Uint8Array): Uint8Array {
  return toBinary(PacketSchema, create(PacketSchema, { type: Packet_PacketType.PACKET_DATA, id, data }));
}

export function finPacket(): Uint8Array {
  return toBinary(PacketSchema, create(PacketSchema, { type: Packet_PacketType.PACKET_FIN }));
}

export function errorPacket(message: string): Uint8Array {
  return toBinary(PacketSchema, create(PacketSchema, { type: Packet_PacketType.PACKET_ERR, data: Buffer.from(message, "utf8") }));
}

/** Decodes a packet; a malformed one is a `protocol` error naming the method. */
export function decodePacket(bytes: Uint8Array, method: string): Packet {
  try {
    return fromBinary(PacketSchema, bytes);
  } catch (error) {
    throw new SessionError("protocol", `malformed fsutil packet on ${method}`, { method }, { cause: error });
  }
}
