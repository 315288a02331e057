// Test-only: a gRPC client over node:http2 that plays the engine against `serveSession`, on a real socket pair.

import { once } from "node:events";
import { connect } from "node:http2";
import type { ClientHttp2Session, ClientHttp2Stream, OutgoingHttpHeaders } from "node:http2";
import { connect as netConnect, createServer } from "node:net";
import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import { decodeFrames, encodeFrame } from "../grpc-call.ts";

/** Both ends of a local TCP connection: `server` for `serveSession`, `client` for the fake engine. */
export async function socketPair(): Promise<{ server: Socket; client: Socket }> {
  const listener = createServer();
  listener.listen(0, "127.0.0.1");
  await once(listener, "listening");
  const address = listener.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  const accepted = once(listener, "connection") as Promise<[Socket]>;
  const client = netConnect(address.port, "127.0.0.1");
  const [[server]] = await Promise.all([accepted, once(client, "connect")]);
  listener.close();
  return { server, client };
}

/** An HTTP/2 client session over an already connected socket (the engine's side of a session). */
export function http2Client(socket: Duplex): ClientHttp2Session {
  const session = connect("http://session", { createConnection: () => socket });
  session.on("error", () => undefined);
  return session;
}

export interface CallStatus {
  readonly code: number;
  readonly message: string;
  /** True when the status came in the response headers (trailers-only). */
  readonly trailersOnly: boolean;
}

/** One call as the engine makes it: write messages, read messages, wait for the status. */
export class TestCall {
  readonly stream: ClientHttp2Stream;
  readonly status: Promise<CallStatus>;
  readonly #messages: AsyncGenerator<Uint8Array>;

  constructor(session: ClientHttp2Session, path: string, metadata: Readonly<Record<string, string | readonly string[]>> = {}) {
    const headers: OutgoingHttpHeaders = {
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
    };
    for (const [name, value] of Object.entries(metadata)) headers[name] = typeof value === "string" ? value : [...value];
    this.stream = session.request(headers);
    this.stream.on("error", () => undefined);
    this.status = new Promise<CallStatus>((resolve) => {
      const from = (fields: Record<string, unknown>, trailersOnly: boolean): boolean => {
        const code = fields["grpc-status"];
        if (typeof code !== "string") return false;
        const message = fields["grpc-message"];
        resolve({ code: Number(code), message: typeof message === "string" ? decodeURIComponent(message) : "", trailersOnly });
        return true;
      };
      this.stream.once("response", (fields: Record<string, unknown>) => from(fields, true));
      this.stream.once("trailers", (fields: Record<string, unknown>) => from(fields, false));
      this.stream.once("close", () => {
        resolve({ code: -1, message: `stream closed (rst ${this.stream.rstCode})`, trailersOnly: false });
      });
    });
    this.#messages = decodeFrames(this.stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>);
  }

  send(message: Uint8Array): void {
    this.stream.write(encodeFrame(message));
  }

  end(): void {
    this.stream.end();
  }

  /** The next response message, or `undefined` at the end of the response. */
  async next(): Promise<Uint8Array | undefined> {
    const result = await this.#messages.next();
    return result.done === true ? undefined : result.value;
  }

  /** Every remaining response message. */
  async rest(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (;;) {
      const message = await this.next();
      if (message === undefined) return out;
      out.push(message);
    }
  }
}

/** A unary call: one request message, then every response message and the status. */
export async function unary(
  session: ClientHttp2Session,
  path: string,
  request: Uint8Array,
  metadata: Readonly<Record<string, string | readonly string[]>> = {},
): Promise<{ messages: Uint8Array[]; status: CallStatus }> {
  const call = new TestCall(session, path, metadata);
  call.send(request);
  call.end();
  const messages = await call.rest();
  return { messages, status: await call.status };
}

/** Two in-memory Duplex streams wired to each other (what a `Control.Session` tunnel looks like to the server). */
export function duplexPair(): [Duplex, Duplex] {
  const ends: { left?: Duplex; right?: Duplex } = {};
  const make = (peer: () => Duplex | undefined): Duplex =>
    new Duplex({
      read() {
        // Data is pushed by the peer's writes.
      },
      write(chunk: Buffer, _encoding, callback) {
        peer()?.push(chunk);
        callback();
      },
      final(callback) {
        peer()?.push(null);
        callback();
      },
      destroy(error, callback) {
        peer()?.destroy();
        callback(error);
      },
    });
  const left = make(() => ends.right);
  const right = make(() => ends.left);
  ends.left = left;
  ends.right = right;
  return [left, right];
}
