// One gRPC call on the session's HTTP/2 server: length-prefixed message framing in both directions, response
// headers, and the status in trailers (or trailers-only when nothing was sent). The engine is the HTTP/2 client.

import { once } from "node:events";
import { constants } from "node:http2";
import type { ServerHttp2Stream } from "node:http2";
import type { GrpcStatusCode } from "./grpc-status.ts";
import { GrpcStatus } from "./grpc-status.ts";
import type { Metadata } from "./metadata.ts";

/** The largest message the session accepts (DATA packets are at most 32 KiB; tar chunks are small too). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Thrown by `GrpcCall.messages` for a frame the session cannot read. */
export class FrameError extends Error {
  readonly status: GrpcStatusCode;

  constructor(status: GrpcStatusCode, message: string) {
    super(message);
    this.name = "FrameError";
    this.status = status;
  }
}

/** Frames one message: flag 0 (uncompressed), 4-byte big-endian length, the bytes. */
export function encodeFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** Splits a byte stream into gRPC messages; a trailing partial frame is an error. */
export async function* decodeFrames(chunks: AsyncIterable<Uint8Array>, maxBytes = MAX_MESSAGE_BYTES): AsyncGenerator<Uint8Array> {
  let buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    while (buffer.length >= 5) {
      if (buffer[0] !== 0) throw new FrameError(GrpcStatus.unimplemented, "compressed messages are not supported");
      const length = buffer.readUInt32BE(1);
      if (length > maxBytes) throw new FrameError(GrpcStatus.resourceExhausted, `message of ${length} bytes exceeds ${maxBytes}`);
      if (buffer.length < 5 + length) break;
      yield buffer.subarray(5, 5 + length);
      buffer = buffer.subarray(5 + length);
    }
  }
  if (buffer.length > 0) throw new FrameError(GrpcStatus.internal, "the stream ended inside a message");
}

/** Percent-encodes a `grpc-message` value as the gRPC spec asks (printable ASCII except `%` stays). */
export function encodeGrpcMessage(message: string): string {
  let out = "";
  for (const byte of Buffer.from(message, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Server side of one call. `signal` aborts when the engine cancels it or the session closes. */
export class GrpcCall {
  readonly path: string;
  readonly metadata: Metadata;
  readonly signal: AbortSignal;
  readonly #stream: ServerHttp2Stream;
  #responded = false;
  #finished = false;
  #trailers: Record<string, string> = {};
  #trailersSent = false;

  constructor(stream: ServerHttp2Stream, path: string, metadata: Metadata, sessionSignal: AbortSignal) {
    this.#stream = stream;
    this.path = path;
    this.metadata = metadata;
    const controller = new AbortController();
    const abort = (): void => {
      controller.abort(new Error(`call ${path} ended`));
    };
    stream.once("aborted", abort);
    stream.on("error", abort);
    if (sessionSignal.aborted) abort();
    else sessionSignal.addEventListener("abort", abort, { once: true });
    // A session answers a health check every second for hours: never leave a listener behind.
    stream.once("close", () => {
      sessionSignal.removeEventListener("abort", abort);
      abort();
    });
    this.signal = controller.signal;
  }

  /** True once a status was sent (or the stream is gone). */
  get finished(): boolean {
    return this.#finished || this.#stream.destroyed || this.#stream.closed;
  }

  /** The request messages, as they arrive; ends when the engine half-closes. Iterate once. */
  messages(maxBytes = MAX_MESSAGE_BYTES): AsyncGenerator<Uint8Array> {
    // Leaving the loop early must not reset the stream: the response still has to go out.
    const chunks = this.#stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
    return decodeFrames(chunks, maxBytes);
  }

  /** Reads exactly the first request message (unary calls); `undefined` when the engine sent none. */
  async firstMessage(): Promise<Uint8Array | undefined> {
    for await (const message of this.messages()) return message;
    return undefined;
  }

  /** Sends one response message, waiting while HTTP/2 flow control holds the stream back. */
  async send(message: Uint8Array): Promise<void> {
    if (this.finished) throw new Error(`call ${this.path} already ended`);
    this.#respond();
    if (!this.#stream.write(encodeFrame(message))) await this.#drained();
  }

  /** Sends a response message without waiting for flow control (for tiny control messages). */
  post(message: Uint8Array): void {
    if (this.finished) return;
    this.#respond();
    this.#stream.write(encodeFrame(message));
  }

  /** Ends the call with a status; after messages this goes in trailers, otherwise as a trailers-only response. */
  finish(status: GrpcStatusCode, message = ""): void {
    if (this.finished) return;
    this.#finished = true;
    const trailers: Record<string, string> = { "grpc-status": String(status) };
    if (message !== "") trailers["grpc-message"] = encodeGrpcMessage(message);
    if (!this.#responded) {
      this.#responded = true;
      this.#trailersSent = true;
      this.#stream.respond({ ":status": 200, "content-type": "application/grpc", ...trailers }, { endStream: true });
    } else {
      this.#trailers = trailers;
      this.#stream.end();
    }
    // Discard anything the engine still sends on its side of the stream.
    this.#stream.resume();
  }

  /** Resets the stream: CANCEL while the call is still running, NO_ERROR once its status went out. */
  reset(): void {
    if (this.#stream.destroyed || this.#stream.closed) return;
    this.#finished = true;
    this.#stream.close(this.#responded && this.#trailersSent ? constants.NGHTTP2_NO_ERROR : constants.NGHTTP2_CANCEL);
  }

  #respond(): void {
    if (this.#responded) return;
    this.#responded = true;
    this.#stream.once("wantTrailers", () => {
      this.#trailersSent = true;
      this.#stream.sendTrailers(this.#trailers);
    });
    this.#stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  }

  async #drained(): Promise<void> {
    if (this.#stream.destroyed) throw new Error(`call ${this.path} ended`);
    await once(this.#stream, "drain", { signal: this.signal });
  }
}
