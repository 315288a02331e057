import { Duplex } from "node:stream";

/** Starts a bidirectional call: `input` are the chunks to send; the result yields the chunks received. */
export type BidiCall = (input: AsyncIterable<Uint8Array>, signal: AbortSignal) => AsyncIterable<Uint8Array>;

interface PendingWrite {
  readonly chunk: Uint8Array;
  readonly callback: (error?: Error | null) => void;
}

/**
 * A byte stream over a bidi-streaming RPC (`Control.Session` of BytesMessage): each write becomes one message,
 * each received message's bytes are pushed as they come. Message boundaries carry no meaning (the payload is
 * a raw HTTP/2 byte stream), so the Duplex is a plain byte pipe. Writes complete when the call has taken the
 * message (back-pressure); `end()` half-closes the call; `destroy()` cancels it.
 */
export function createBidiDuplex(call: BidiCall, mapError: (error: unknown) => Error): Duplex {
  const abort = new AbortController();
  const pending: PendingWrite[] = [];
  let wake: (() => void) | undefined;
  let inputEnded = false;
  let reading = false;
  let resumeRead: (() => void) | undefined;

  async function* input(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = pending.shift();
      if (next !== undefined) {
        yield next.chunk;
        next.callback();
        continue;
      }
      if (inputEnded || abort.signal.aborted) {
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  }

  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      pending.push({ chunk: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), callback });
      wake?.();
    },
    final(callback) {
      inputEnded = true;
      wake?.();
      callback();
    },
    read() {
      resumeRead?.();
      if (!reading) {
        reading = true;
        void pump();
      }
    },
    destroy(error, callback) {
      abort.abort(error ?? new Error("session stream closed"));
      inputEnded = true;
      wake?.();
      resumeRead?.();
      for (const write of pending.splice(0)) {
        write.callback(error ?? new Error("session stream closed"));
      }
      callback(error);
    },
  });

  const output = call(input(), abort.signal);

  async function pump(): Promise<void> {
    try {
      for await (const chunk of output) {
        if (duplex.destroyed) {
          return;
        }
        if (!duplex.push(chunk)) {
          await new Promise<void>((resolve) => {
            resumeRead = resolve;
          });
          resumeRead = undefined;
        }
      }
      duplex.push(null);
    } catch (error) {
      if (!duplex.destroyed) {
        duplex.destroy(mapError(error));
      }
    }
  }

  return duplex;
}
