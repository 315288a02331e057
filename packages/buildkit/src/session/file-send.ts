// FileSend.DiffCopy: the engine pushes an export to us (buildkit-wire.md sections 5 and 6).
// - `local`: the fsutil protocol with the engine as sender; we receive STATs, request every regular file, write
//   the tree under the output directory, and send FIN when everything arrived.
// - `tar` (also BuildKit's `oci` and `docker` exporters): raw BytesMessage chunks of one stream, until the
//   engine half-closes.

import { create, fromBinary } from "@bufbuild/protobuf";
import { once } from "node:events";
import { constants as fsConstants, createWriteStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { chmod, link, lstat, lutimes, mkdir, open, rm, symlink, utimes } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { BytesMessageSchema } from "../gen/session/filesync_pb.ts";
import type { Stat } from "../gen/session/fsutil_pb.ts";
import { StatSchema } from "../gen/session/fsutil_pb.ts";
import type { CounterSet } from "./counters.ts";
import { SessionError } from "./errors.ts";
import { messageOf } from "./file-sync.ts";
import type { GrpcCall } from "./grpc-call.ts";
import { GrpcStatus } from "./grpc-status.ts";
import { isDirMode, isRegularMode, isSymlinkMode, posixPermissions } from "./go-mode.ts";
import type { Packet } from "./packets.ts";
import { PacketType, decodePacket, errorPacket, finPacket, requestPacket } from "./packets.ts";
import { isCleanRelativePath, parentPath } from "./walk-order.ts";

/** Where FileSend puts an export. */
export type SendTarget =
  /** The `local` exporter: the tree is written under `dir` (created if missing; existing files are replaced). */
  | { readonly type: "local"; readonly dir: string }
  /** The `tar` exporter (and buildkitd's `oci`/`docker`): the stream goes to a file path or a writable (ended). */
  | { readonly type: "tar"; readonly output: string | Writable };

/** How many files the receiver asks for before earlier ones arrived (the engine queues up to 128). */
const REQUEST_WINDOW = 32;

export async function serveFileSend(call: GrpcCall, target: SendTarget, counters: CounterSet, report: (error: SessionError) => void): Promise<void> {
  try {
    if (target.type === "local") await receiveTree(call, resolve(target.dir), counters);
    else await receiveStream(call, target.output, counters);
  } catch (error) {
    if (call.signal.aborted || call.finished) return;
    const sessionError =
      error instanceof SessionError ? error : new SessionError("send-failed", `receiving the export failed: ${messageOf(error)}`, { method: call.path }, { cause: error });
    report(sessionError);
    if (target.type === "local") call.post(errorPacket(sessionError.message));
    call.finish(GrpcStatus.unknown, sessionError.message);
  }
}

async function receiveStream(call: GrpcCall, output: string | Writable, counters: CounterSet): Promise<void> {
  const out = typeof output === "string" ? createWriteStream(output) : output;
  try {
    for await (const bytes of call.messages()) {
      const { data } = fromBinary(BytesMessageSchema, bytes);
      counters.bytesReceived += data.length;
      if (!out.write(data)) await once(out, "drain", { signal: call.signal });
    }
    out.end();
    await finished(out);
  } catch (error) {
    if (typeof output === "string") out.destroy();
    throw error;
  }
  call.finish(GrpcStatus.ok);
}

interface Wanted {
  readonly full: string;
  readonly stat: Stat;
  handle?: FileHandle;
}

async function receiveTree(call: GrpcCall, dest: string, counters: CounterSet): Promise<void> {
  await mkdir(dest, { recursive: true });
  const receiver = new TreeReceiver(call, dest, counters);
  try {
    for await (const bytes of call.messages()) {
      if (await receiver.handle(decodePacket(bytes, call.path))) return;
    }
  } finally {
    await receiver.closeFiles();
  }
  if (!receiver.finSent) throw new SessionError("peer-error", "the engine ended the export before sending every file", { method: call.path });
  call.finish(GrpcStatus.ok);
}

/** The receiving side of fsutil's protocol, writing under `dest`. */
class TreeReceiver {
  readonly #call: GrpcCall;
  readonly #dest: string;
  readonly #counters: CounterSet;
  /** Directories of this transfer (the root is ""): the only places entries may go. */
  readonly #dirs = new Map<string, Stat>([["", create(StatSchema, { mode: 0o755 })]]);
  readonly #regularFiles = new Set<string>();
  readonly #wanted = new Map<number, Wanted>();
  readonly #toRequest: number[] = [];
  #requested = 0;
  #nextId = 0;
  #statsDone = false;
  finSent = false;

  constructor(call: GrpcCall, dest: string, counters: CounterSet) {
    this.#call = call;
    this.#dest = dest;
    this.#counters = counters;
  }

  /** Handles one packet; true when the transfer is complete (the engine echoed our FIN). */
  async handle(packet: Packet): Promise<boolean> {
    switch (packet.type) {
      case PacketType.PACKET_STAT:
        if (packet.stat === undefined) {
          this.#statsDone = true;
          await this.#maybeFinish();
        } else {
          await this.#entry(this.#nextId++, packet.stat);
        }
        return false;
      case PacketType.PACKET_DATA:
        await this.#data(packet.id, packet.data);
        return false;
      case PacketType.PACKET_FIN:
        this.#call.finish(GrpcStatus.ok);
        return true;
      case PacketType.PACKET_ERR:
        throw new SessionError("peer-error", `the engine aborted the export: ${Buffer.from(packet.data).toString("utf8")}`, { method: this.#call.path });
      default:
        throw new SessionError("peer-error", `unexpected packet type ${packet.type} from the sending engine`, { method: this.#call.path });
    }
  }

  async closeFiles(): Promise<void> {
    for (const file of this.#wanted.values()) await file.handle?.close().catch(() => undefined);
  }

  async #entry(id: number, stat: Stat): Promise<void> {
    const path = stat.path;
    if (!isCleanRelativePath(path)) throw this.#unsafe(path, "not a clean relative path");
    // Parents must be directories of this transfer, so nothing is ever written through a symlink.
    if (!this.#dirs.has(parentPath(path))) throw this.#unsafe(path, "its parent is not a directory sent before it");
    const full = join(this.#dest, path);
    const time = seconds(stat.modTime);
    if (isDirMode(stat.mode)) {
      const existing = await lstat(full).catch(() => undefined);
      if (existing?.isDirectory() !== true) {
        if (existing !== undefined) await rm(full, { recursive: true, force: true });
        await mkdir(full, { mode: 0o700 });
      }
      this.#dirs.set(path, stat);
    } else if (isSymlinkMode(stat.mode)) {
      await rm(full, { recursive: true, force: true });
      await symlink(stat.linkname, full);
      await lutimes(full, time, time);
    } else if (isRegularMode(stat.mode)) {
      await rm(full, { recursive: true, force: true });
      if (stat.linkname === "") {
        // Created now (empty) so hard links to it can follow at once; the contents arrive later, into this inode.
        await (await open(full, "wx", 0o600)).close();
        this.#regularFiles.add(path);
        this.#wanted.set(id, { full, stat });
        this.#toRequest.push(id);
        this.#requestMore();
      } else {
        if (!this.#regularFiles.has(stat.linkname)) throw this.#unsafe(path, `a hard link to "${stat.linkname}", which was not sent as a file`);
        await link(join(this.#dest, stat.linkname), full);
      }
    }
    // Devices, FIFOs and sockets are not recreated.
  }

  async #data(id: number, data: Uint8Array): Promise<void> {
    const file = this.#wanted.get(id);
    if (file === undefined) throw new SessionError("peer-error", `the engine sent data for unrequested file id ${id}`, { method: this.#call.path });
    if (data.length > 0) {
      file.handle ??= await open(file.full, fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW);
      await file.handle.write(data);
      this.#counters.bytesReceived += data.length;
      return;
    }
    await file.handle?.close();
    delete file.handle;
    const time = seconds(file.stat.modTime);
    await chmod(file.full, posixPermissions(file.stat.mode));
    await utimes(file.full, time, time);
    this.#wanted.delete(id);
    this.#counters.filesReceived++;
    this.#requested--;
    this.#requestMore();
    await this.#maybeFinish();
  }

  #requestMore(): void {
    while (this.#requested < REQUEST_WINDOW && this.#toRequest.length > 0) {
      const id = this.#toRequest.shift();
      if (id === undefined) break;
      this.#requested++;
      this.#call.post(requestPacket(id));
    }
  }

  async #maybeFinish(): Promise<void> {
    if (!this.#statsDone || this.#wanted.size > 0 || this.finSent) return;
    this.finSent = true;
    // Directory modes and times last, deepest first, so writing their children changes nothing after.
    for (const [path, stat] of [...this.#dirs].reverse()) {
      if (path === "") continue;
      const full = join(this.#dest, path);
      const time = seconds(stat.modTime);
      await chmod(full, posixPermissions(stat.mode));
      await utimes(full, time, time);
    }
    this.#call.post(finPacket());
  }

  #unsafe(path: string, why: string): SessionError {
    return new SessionError("send-failed", `the engine sent an unsafe entry "${path}": ${why}`, { method: this.#call.path, path });
  }
}

/** Unix nanoseconds as the fractional seconds `utimes` takes. */
function seconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}
