import { create, toBinary } from "@bufbuild/protobuf";
import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rm, stat, symlink } from "node:fs/promises";
import type { ClientHttp2Session } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BytesMessageSchema } from "../gen/session/filesync_pb.ts";
import { PacketSchema, Packet_PacketType, StatSchema } from "../gen/session/fsutil_pb.ts";
import { GoMode } from "./go-mode.ts";
import { PacketType, dataPacket, decodePacket, endOfStatsPacket, finPacket } from "./packets.ts";
import type { SessionServer, SessionServices } from "./server.ts";
import { serveSession } from "./server.ts";
import { TestCall, http2Client, socketPair } from "./testing/grpc-client.ts";

const FILE_SEND = "/moby.filesync.v1.FileSend/DiffCopy";
const MTIME = 1_700_000_000_123_456_789n;
let work: string;
const opened: { server: SessionServer; client: ClientHttp2Session }[] = [];

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "chutes-filesend-"));
});

afterEach(async () => {
  for (const { server, client } of opened.splice(0)) {
    client.destroy();
    await server.close();
  }
  await rm(work, { recursive: true, force: true });
});

async function start(services: SessionServices): Promise<{ server: SessionServer; client: ClientHttp2Session }> {
  const pair = await socketPair();
  const server = serveSession(pair.server, services);
  const client = http2Client(pair.client);
  opened.push({ server, client });
  return { server, client };
}

function statMessage(path: string, mode: number, size: number, linkname = ""): Uint8Array {
  return toBinary(
    PacketSchema,
    create(PacketSchema, { type: Packet_PacketType.PACKET_STAT, stat: create(StatSchema, { path, mode: mode >>> 0, size: BigInt(size), modTime: MTIME, linkname }) }),
  );
}

async function nextPacket(call: TestCall): Promise<{ type: number; id: number } | undefined> {
  const bytes = await call.next();
  if (bytes === undefined) return undefined;
  const packet = decodePacket(bytes, FILE_SEND);
  return { type: packet.type, id: packet.id };
}

describe("FileSend.DiffCopy, local exporter", () => {
  it("receives a tree: requests every regular file, writes contents, modes, mtimes, links; FIN after the last file", async () => {
    const out = join(work, "out");
    const { server, client } = await start({ send: { type: "local", dir: out } });
    const call = new TestCall(client, FILE_SEND);
    call.send(statMessage("d", GoMode.dir | 0o750, 0)); // id 0
    call.send(statMessage("d/a.txt", 0o640, 11)); // id 1
    call.send(statMessage("d/h", 0o640, 0, "d/a.txt")); // id 2: a hard link, never requested
    call.send(statMessage("empty", 0o600, 0)); // id 3
    call.send(statMessage("l", GoMode.symlink | 0o777, 7, "d/a.txt")); // id 4
    call.send(statMessage("x.sh", GoMode.setuid | 0o755, 4)); // id 5
    call.send(endOfStatsPacket());

    expect([await nextPacket(call), await nextPacket(call), await nextPacket(call)]).toEqual([
      { type: PacketType.PACKET_REQ, id: 1 },
      { type: PacketType.PACKET_REQ, id: 3 },
      { type: PacketType.PACKET_REQ, id: 5 },
    ]);
    call.send(dataPacket(1, Buffer.from("hello ")));
    call.send(dataPacket(5, Buffer.from("#!sh")));
    call.send(dataPacket(1, Buffer.from("world")));
    call.send(dataPacket(1, new Uint8Array(0)));
    call.send(dataPacket(3, new Uint8Array(0)));
    call.send(dataPacket(5, new Uint8Array(0)));
    expect(await nextPacket(call)).toEqual({ type: PacketType.PACKET_FIN, id: 0 });
    call.send(finPacket());
    expect(await call.rest()).toEqual([]);
    expect((await call.status).code).toBe(0);

    expect(await readFile(join(out, "d", "a.txt"), "utf8")).toBe("hello world");
    expect(await readFile(join(out, "x.sh"), "utf8")).toBe("#!sh");
    expect(await readFile(join(out, "empty"), "utf8")).toBe("");
    expect(await readlink(join(out, "l"))).toBe("d/a.txt");
    const a = await lstat(join(out, "d", "a.txt"), { bigint: true });
    expect((await lstat(join(out, "d", "h"), { bigint: true })).ino).toBe(a.ino);
    expect(Number(a.mode) & 0o7777).toBe(0o640);
    expect((await stat(join(out, "x.sh"))).mode & 0o7777).toBe(0o4755);
    expect((await stat(join(out, "d"))).mode & 0o7777).toBe(0o750);
    // Microsecond precision survives (utimes takes fractional seconds).
    expect(a.mtimeNs / 1000n).toBe(MTIME / 1000n);
    expect((await stat(join(out, "d"), { bigint: true })).mtimeNs / 1000n).toBe(MTIME / 1000n);
    expect(server.counters()).toMatchObject({ filesReceived: 3, bytesReceived: 15 });
  });

  it("replaces what is in the way (a symlink where a directory goes) and never writes through it", async () => {
    const out = join(work, "out");
    const outside = join(work, "outside");
    await mkdir(out);
    await mkdir(outside);
    await symlink(outside, join(out, "d"));
    const { client } = await start({ send: { type: "local", dir: out } });
    const call = new TestCall(client, FILE_SEND);
    call.send(statMessage("d", GoMode.dir | 0o755, 0));
    call.send(statMessage("d/f", 0o644, 1));
    call.send(endOfStatsPacket());
    expect(await nextPacket(call)).toEqual({ type: PacketType.PACKET_REQ, id: 1 });
    call.send(dataPacket(1, Buffer.from("x")));
    call.send(dataPacket(1, new Uint8Array(0)));
    expect(await nextPacket(call)).toEqual({ type: PacketType.PACKET_FIN, id: 0 });
    call.send(finPacket());
    expect((await call.status).code).toBe(0);
    expect((await lstat(join(out, "d"))).isDirectory()).toBe(true);
    expect(await readdir(outside)).toEqual([]);
  });

  it.each([
    ["../escape", [statMessage("../escape", 0o644, 1)], "not a clean relative path"],
    ["/abs", [statMessage("/abs", 0o644, 1)], "not a clean relative path"],
    ["l/x through a symlink", [statMessage("l", GoMode.symlink | 0o777, 1, "/"), statMessage("l/x", 0o644, 1)], "its parent is not a directory sent before it"],
  ])("refuses an unsafe entry (%s): ERR packet, status 2, SessionError send-failed", async (_name, packets, why) => {
    const out = join(work, "out");
    const { server, client } = await start({ send: { type: "local", dir: out } });
    const call = new TestCall(client, FILE_SEND);
    for (const packet of packets) call.send(packet);
    expect(await nextPacket(call)).toEqual({ type: PacketType.PACKET_ERR, id: 0 });
    const status = await call.status;
    expect(status.code).toBe(2);
    expect(status.message).toContain(why);
    expect(server.errors.map((error) => error.code)).toEqual(["send-failed"]);
    expect(await readdir(work)).toEqual(["out"]);
  });
});

describe("FileSend.DiffCopy, tar exporter", () => {
  const chunk = (text: string): Uint8Array => toBinary(BytesMessageSchema, create(BytesMessageSchema, { data: Buffer.from(text) }));

  it("writes the raw stream to a file and ends the call when the engine half-closes", async () => {
    const out = join(work, "image.tar");
    const { server, client } = await start({ send: { type: "tar", output: out } });
    const call = new TestCall(client, FILE_SEND);
    for (const text of ["part one, ", "part two, ", "end"]) call.send(chunk(text));
    call.end();
    expect(await call.rest()).toEqual([]);
    expect(await call.status).toEqual({ code: 0, message: "", trailersOnly: true });
    expect(await readFile(out, "utf8")).toBe("part one, part two, end");
    expect(server.counters().bytesReceived).toBe(23);
  });

  it("writes into a caller's writable and ends it", async () => {
    const sink = new PassThrough();
    const collected: Buffer[] = [];
    sink.on("data", (data: Buffer) => collected.push(data));
    const ended = new Promise((resolve) => sink.once("end", resolve));
    const { client } = await start({ send: { type: "tar", output: sink } });
    const call = new TestCall(client, FILE_SEND);
    call.send(chunk("abc"));
    call.send(chunk("def"));
    call.end();
    expect((await call.status).code).toBe(0);
    await ended;
    expect(Buffer.concat(collected).toString()).toBe("abcdef");
  });
});
