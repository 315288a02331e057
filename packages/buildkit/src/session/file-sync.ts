// FileSync.DiffCopy: the engine pulls a local directory from us (buildkit-wire.md section 6). We send one STAT
// per entry in Go walk order, then an empty STAT; we answer each REQ with DATA chunks of at most 32 KiB and an
// empty DATA; on the engine's FIN we reply FIN and end the call with status 0.

import type { CounterSet } from "./counters.ts";
import { SessionError } from "./errors.ts";
import type { GrpcCall } from "./grpc-call.ts";
import { GrpcStatus } from "./grpc-status.ts";
import { isDirMode, isRegularMode } from "./go-mode.ts";
import { parseSyncRequest } from "./metadata.ts";
import { narrowEntries } from "./narrow.ts";
import { PacketType, dataPacket, decodePacket, endOfStatsPacket, errorPacket, finPacket, statPacket } from "./packets.ts";
import type { FileContents, SyncSource } from "./source.ts";
import { WalkOrderChecker } from "./walk-order.ts";

/** The largest DATA chunk, as Go's fsutil sends (its 32 KiB copy buffer). */
export const DATA_CHUNK_BYTES = 32 * 1024;

/** Files whose contents may be in flight at once (fsutil's sender runs four). */
export const PARALLEL_FILES = 4;

interface Job {
  readonly id: number;
  readonly path: string;
}

/** Serves one DiffCopy call from the source named by its `dir-name` header. */
export async function serveFileSync(
  call: GrpcCall,
  sources: ReadonlyMap<string, SyncSource>,
  counters: CounterSet,
  report: (error: SessionError) => void,
): Promise<void> {
  const request = parseSyncRequest(call.metadata);
  const source = sources.get(request.dirName);
  if (source === undefined) {
    call.finish(GrpcStatus.notFound, `no local directory named "${request.dirName}" in this session`);
    return;
  }
  const started = performance.now();
  const dir = counters.dir(request.dirName);
  dir.calls++;
  const where = { method: call.path, dirName: request.dirName };
  const files = new Map<number, string>();
  const queue: Job[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = false;

  const fail = (error: unknown, tellPeer: boolean): void => {
    if (failed || call.finished) return;
    failed = true;
    const sessionError =
      error instanceof SessionError ? error : new SessionError("sync-failed", `serving "${request.dirName}" failed: ${messageOf(error)}`, where, { cause: error });
    report(sessionError);
    if (tellPeer) call.post(errorPacket(sessionError.message));
    call.finish(GrpcStatus.unknown, sessionError.message);
  };

  const sendFile = async ({ id, path }: Job): Promise<void> => {
    let content: FileContents;
    try {
      content = await source.open(path);
    } catch (error) {
      throw new SessionError("sync-failed", `cannot read "${path}" of "${request.dirName}": ${messageOf(error)}`, { ...where, path }, { cause: error });
    }
    for await (const chunk of chunked(content, DATA_CHUNK_BYTES)) {
      if (call.finished) return;
      await call.send(dataPacket(id, chunk));
      dir.bytesSent += chunk.length;
    }
    await call.send(dataPacket(id, new Uint8Array(0)));
    dir.filesSent++;
  };

  const pump = (): void => {
    while (inFlight.size < PARALLEL_FILES && queue.length > 0 && !call.finished) {
      const job = queue.shift();
      if (job === undefined) break;
      const sending: Promise<void> = sendFile(job)
        .catch((error: unknown) => {
          if (!call.signal.aborted) fail(error, true);
        })
        .finally(() => {
          inFlight.delete(sending);
          pump();
        });
      inFlight.add(sending);
    }
  };

  const walk = async (): Promise<void> => {
    const checker = new WalkOrderChecker();
    let id = 0;
    for await (const entry of narrowEntries(source.entries(request), request)) {
      if (call.finished) return;
      const problem = checker.check(entry.path, isDirMode(entry.mode));
      if (problem !== undefined) {
        throw new SessionError("sync-order", `the source of "${request.dirName}" is out of order: ${problem}`, { ...where, path: entry.path });
      }
      if (isRegularMode(entry.mode)) files.set(id, entry.path);
      id++;
      await call.send(statPacket(entry));
      dir.entriesSent++;
    }
    if (!call.finished) await call.send(endOfStatsPacket());
  };

  const walking = walk().catch((error: unknown) => {
    if (!call.signal.aborted) fail(error, true);
  });

  try {
    for await (const bytes of call.messages()) {
      const packet = decodePacket(bytes, call.path);
      if (packet.type === PacketType.PACKET_REQ) {
        const path = files.get(packet.id);
        if (path === undefined) throw new SessionError("peer-error", `the engine requested unknown file id ${packet.id} of "${request.dirName}"`, where);
        queue.push({ id: packet.id, path });
        pump();
      } else if (packet.type === PacketType.PACKET_FIN) {
        await walking;
        await Promise.all(inFlight);
        if (call.finished) return;
        await call.send(finPacket());
        call.finish(GrpcStatus.ok);
        return;
      } else if (packet.type === PacketType.PACKET_ERR) {
        const message = Buffer.from(packet.data).toString("utf8");
        fail(new SessionError("peer-error", `the engine aborted the transfer of "${request.dirName}": ${message}`, where), false);
        return;
      }
      // STAT and DATA from the receiving side mean nothing to a sender (fsutil ignores them too).
    }
    // The engine half-closed without FIN: nothing more can be asked for.
    await walking;
    await Promise.all(inFlight);
    call.finish(GrpcStatus.ok);
  } catch (error) {
    if (!call.signal.aborted) fail(error, true);
  } finally {
    queue.length = 0;
    dir.millis += performance.now() - started;
  }
}

/** Re-chunks a byte stream into pieces of exactly `size` bytes (the last one shorter). */
export async function* chunked(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks) {
    let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (rest.length > 0) {
      const take = Math.min(size - pendingBytes, rest.length);
      pending.push(rest.subarray(0, take));
      pendingBytes += take;
      rest = rest.subarray(take);
      if (pendingBytes === size) {
        yield Buffer.concat(pending, size);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
