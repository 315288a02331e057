import { chmod, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClientHttp2Session } from "node:http2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GoMode } from "./go-mode.ts";
import type { Packet } from "./packets.ts";
import { PacketType, decodePacket, errorPacket, finPacket, requestPacket } from "./packets.ts";
import type { SessionServer, SessionServices } from "./server.ts";
import { serveSession } from "./server.ts";
import type { SyncEntry, SyncSource } from "./source.ts";
import { directorySource, memorySource } from "./source.ts";
import { TestCall, http2Client, socketPair } from "./testing/grpc-client.ts";

const DIFF_COPY = "/moby.filesync.v1.FileSync/DiffCopy";
let dir: string;
const opened: { server: SessionServer; client: ClientHttp2Session }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "chutes-filesync-"));
});

afterEach(async () => {
  for (const { server, client } of opened.splice(0)) {
    client.destroy();
    await server.close();
  }
  await rm(dir, { recursive: true, force: true });
});

async function start(services: SessionServices): Promise<{ server: SessionServer; client: ClientHttp2Session }> {
  const pair = await socketPair();
  const server = serveSession(pair.server, services);
  const client = http2Client(pair.client);
  opened.push({ server, client });
  return { server, client };
}

/** Reads packets until the empty STAT that ends the entry list; returns the entries. */
async function readStats(call: TestCall): Promise<{ packets: Packet[]; terminator: Uint8Array }> {
  const packets: Packet[] = [];
  for (;;) {
    const bytes = await call.next();
    if (bytes === undefined) throw new Error("the response ended before the terminator");
    const packet = decodePacket(bytes, DIFF_COPY);
    if (packet.type === PacketType.PACKET_STAT && packet.stat === undefined) return { packets, terminator: bytes };
    packets.push(packet);
  }
}

function summary(packet: Packet): unknown {
  const stat = packet.stat;
  if (stat === undefined) return { type: packet.type };
  return { path: stat.path, mode: stat.mode, size: Number(stat.size), linkname: stat.linkname, uid: stat.uid, gid: stat.gid };
}

describe("FileSync.DiffCopy", () => {
  it("sends STATs in Go walk order with Go mode bits, then the empty STAT terminator", async () => {
    await writeFile(join(dir, "a.txt"), "hello\n");
    await mkdir(join(dir, "a"));
    await writeFile(join(dir, "a", "b"), "");
    await writeFile(join(dir, "a-b"), "xyz");
    await writeFile(join(dir, "run.sh"), "#!/bin/sh\n");
    await chmod(join(dir, "run.sh"), 0o4755);
    await mkdir(join(dir, "Z"));
    await chmod(join(dir, "Z"), 0o1777);
    await symlink("a.txt", join(dir, "link"));
    await chmod(join(dir, "a.txt"), 0o644);
    await chmod(join(dir, "a"), 0o755);
    await chmod(join(dir, "a", "b"), 0o600);
    await chmod(join(dir, "a-b"), 0o640);

    const { server, client } = await start({ sync: { context: directorySource(dir) } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    const { packets, terminator } = await readStats(call);
    expect(packets.map(summary)).toEqual([
      { path: "Z", mode: (GoMode.dir | GoMode.sticky | 0o777) >>> 0, size: 0, linkname: "", uid: 0, gid: 0 },
      { path: "a", mode: (GoMode.dir | 0o755) >>> 0, size: 0, linkname: "", uid: 0, gid: 0 },
      { path: "a/b", mode: 0o600, size: 0, linkname: "", uid: 0, gid: 0 },
      { path: "a-b", mode: 0o640, size: 3, linkname: "", uid: 0, gid: 0 },
      { path: "a.txt", mode: 0o644, size: 6, linkname: "", uid: 0, gid: 0 },
      { path: "link", mode: (GoMode.symlink | 0o777) >>> 0, size: 5, linkname: "a.txt", uid: 0, gid: 0 },
      { path: "run.sh", mode: (GoMode.setuid | 0o755) >>> 0, size: 10, linkname: "", uid: 0, gid: 0 },
    ]);
    // A STAT carries no type field (0 is omitted), and the terminator is an empty message.
    expect(terminator).toHaveLength(0);
    expect(packets.every((packet) => packet.type === PacketType.PACKET_STAT)).toBe(true);
    // The mtime is the file's, in nanoseconds.
    const stat = await lstat(join(dir, "a.txt"), { bigint: true });
    expect(packets[4]!.stat!.modTime).toBe(stat.mtimeNs);

    call.send(finPacket());
    expect((await call.rest()).map((bytes) => Buffer.from(bytes).toString("hex"))).toEqual(["0803"]);
    expect(await call.status).toEqual({ code: 0, message: "", trailersOnly: false });
    expect(server.counters().byDir).toEqual({ context: { calls: 1, entriesSent: 7, filesSent: 0, bytesSent: 0, millis: expect.any(Number) as number } });
  });

  it("answers REQ with DATA chunks of 32 KiB and an empty DATA, then FIN", async () => {
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    await writeFile(join(dir, "big.bin"), big);
    await writeFile(join(dir, "small.txt"), "small");
    const { server, client } = await start({ sync: { context: directorySource(dir) } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    const { packets } = await readStats(call);
    expect(packets.map((packet) => packet.stat?.path)).toEqual(["big.bin", "small.txt"]);

    // REQ{ID 0} is the two bytes 08 01: the id field is omitted at zero.
    expect(Buffer.from(requestPacket(0)).toString("hex")).toBe("0801");
    call.send(requestPacket(0));
    const chunks: { id: number; size: number }[] = [];
    const received: Buffer[] = [];
    for (;;) {
      const packet = decodePacket((await call.next())!, DIFF_COPY);
      expect(packet.type).toBe(PacketType.PACKET_DATA);
      chunks.push({ id: packet.id, size: packet.data.length });
      if (packet.data.length === 0) break;
      received.push(Buffer.from(packet.data));
    }
    expect(chunks).toEqual([
      { id: 0, size: 32768 },
      { id: 0, size: 32768 },
      { id: 0, size: 32768 },
      { id: 0, size: 1696 },
      { id: 0, size: 0 },
    ]);
    expect(Buffer.concat(received).equals(big)).toBe(true);

    call.send(requestPacket(1));
    const small = decodePacket((await call.next())!, DIFF_COPY);
    expect({ type: small.type, id: small.id, data: Buffer.from(small.data).toString() }).toEqual({ type: PacketType.PACKET_DATA, id: 1, data: "small" });
    const end = decodePacket((await call.next())!, DIFF_COPY);
    expect({ type: end.type, id: end.id, size: end.data.length }).toEqual({ type: PacketType.PACKET_DATA, id: 1, size: 0 });

    call.send(finPacket());
    const fin = await call.rest();
    expect(fin.map((bytes) => decodePacket(bytes, DIFF_COPY).type)).toEqual([PacketType.PACKET_FIN]);
    expect((await call.status).code).toBe(0);
    const counters = server.counters();
    expect({ entries: counters.entriesSent, files: counters.filesSent, bytes: counters.bytesSent }).toEqual({ entries: 2, files: 2, bytes: 100_005 });
  });

  it("re-chunks a source's contents into exactly 32 KiB pieces whatever the source's chunk sizes", async () => {
    const parts = [Buffer.alloc(10, 1), Buffer.alloc(40_000, 2), Buffer.alloc(30_000, 3)];
    const source: SyncSource = {
      entries: () => [{ path: "f", mode: 0o644, size: 70_010, mtimeNs: 1n }],
      open: () => parts,
    };
    const { client } = await start({ sync: { context: source } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    await readStats(call);
    call.send(requestPacket(0));
    const sizes: number[] = [];
    for (;;) {
      const packet = decodePacket((await call.next())!, DIFF_COPY);
      sizes.push(packet.data.length);
      if (packet.data.length === 0) break;
    }
    expect(sizes).toEqual([32768, 32768, 4474, 0]);
  });

  it("answers an unknown dir-name NOT_FOUND (5)", async () => {
    const { client } = await start({ sync: { context: directorySource(dir) } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "dockerfile" });
    expect(await call.rest()).toEqual([]);
    expect(await call.status).toEqual({ code: 5, message: 'no local directory named "dockerfile" in this session', trailersOnly: true });
  });

  it("sends only the followpaths (BuildKit's Dockerfile and .dockerignore loads), with symlinks followed", async () => {
    const source = memorySource({ Dockerfile: "FROM scratch\n", "Dockerfile.dockerignore": "x\n", "other.txt": "no", "sub/file": "no" });
    const { client } = await start({ sync: { dockerfile: source } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "dockerfile", followpaths: ["Dockerfile", "Dockerfile.dockerignore"] });
    const { packets } = await readStats(call);
    expect(packets.map((packet) => packet.stat?.path)).toEqual(["Dockerfile", "Dockerfile.dockerignore"]);
    call.send(finPacket());
    expect((await call.status).code).toBe(0);
  });

  it("applies include-patterns line by line, commas and all", async () => {
    const source = memorySource({ "a,b.txt": "1", "a.txt": "2", "src/x.ts": "3", "src/y.js": "4", "docs/z.md": "5" });
    const { client } = await start({ sync: { context: source } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context", "include-patterns": ["a,b.txt", "src/*.ts"] });
    const { packets } = await readStats(call);
    expect(packets.map((packet) => packet.stat?.path)).toEqual(["a,b.txt", "src", "src/x.ts"]);
  });

  it("refuses a source that is out of Go walk order: ERR packet, status 2, SessionError sync-order", async () => {
    const entries: SyncEntry[] = [
      { path: "a-b", mode: 0o644, size: 0, mtimeNs: 0n },
      { path: "a", mode: (GoMode.dir | 0o755) >>> 0, size: 0, mtimeNs: 0n },
    ];
    const { server, client } = await start({ sync: { context: { entries: () => entries, open: () => [] } } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    const packets = (await call.rest()).map((bytes) => decodePacket(bytes, DIFF_COPY));
    expect(packets.map((packet) => packet.type)).toEqual([PacketType.PACKET_STAT, PacketType.PACKET_ERR]);
    const message = 'the source of "context" is out of order: "a" comes after "a-b" (not Go walk order)';
    expect(Buffer.from(packets[1]!.data).toString()).toBe(message);
    expect(await call.status).toEqual({ code: 2, message, trailersOnly: false });
    expect(server.errors.map((error) => [error.code, error.dirName, error.path])).toEqual([["sync-order", "context", "a"]]);
  });

  it("reports a REQ for an id that is not a regular file as a peer error", async () => {
    const { server, client } = await start({ sync: { context: memorySource({ "d/f": "x" }) } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    await readStats(call);
    call.send(requestPacket(0)); // id 0 is the directory "d"
    const packets = (await call.rest()).map((bytes) => decodePacket(bytes, DIFF_COPY));
    expect(packets.map((packet) => packet.type)).toEqual([PacketType.PACKET_ERR]);
    expect((await call.status).code).toBe(2);
    expect(server.errors.map((error) => error.code)).toEqual(["peer-error"]);
  });

  it("stops on the engine's ERR packet and reports it", async () => {
    const { server, client } = await start({ sync: { context: memorySource({ f: "x" }) } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    await readStats(call);
    call.send(errorPacket("disk full"));
    expect(await call.rest()).toEqual([]);
    expect(await call.status).toEqual({ code: 2, message: 'the engine aborted the transfer of "context": disk full', trailersOnly: false });
    expect(server.errors.map((error) => error.code)).toEqual(["peer-error"]);
  });

  it("reports a file the source cannot read as sync-failed, with an ERR packet", async () => {
    const source: SyncSource = {
      entries: () => [{ path: "gone", mode: 0o644, size: 3, mtimeNs: 0n }],
      open: () => {
        throw new Error("ENOENT");
      },
    };
    const { server, client } = await start({ sync: { context: source } });
    const call = new TestCall(client, DIFF_COPY, { "dir-name": "context" });
    await readStats(call);
    call.send(requestPacket(0));
    const packets = (await call.rest()).map((bytes) => decodePacket(bytes, DIFF_COPY));
    expect(packets.map((packet) => packet.type)).toEqual([PacketType.PACKET_ERR]);
    expect((await call.status).code).toBe(2);
    expect(server.errors.map((error) => [error.code, error.path])).toEqual([["sync-failed", "gone"]]);
  });
});
