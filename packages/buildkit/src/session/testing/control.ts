// Test-only: a minimal Control client over a hijacked `POST /grpc` (raw node:http2, generated message types), so
// the session's integration tests do not depend on the transport's client.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { TestEngine } from "@chutes/test-support/engines";
import { connect } from "node:http2";
import type { ClientHttp2Session } from "node:http2";
import { Duplex } from "node:stream";
import {
  BytesMessageSchema,
  SolveRequestSchema,
  SolveResponseSchema,
  StatusRequestSchema,
  StatusResponseSchema,
} from "../../gen/moby/buildkit/v1/control_pb.ts";
import { TestCall } from "./grpc-client.ts";
import { hijack } from "./hijack.ts";

export interface BuildProgress {
  /** Every log chunk, concatenated (stdout and stderr). */
  readonly logs: string;
  /** Vertex names in order of first appearance. */
  readonly vertices: readonly string[];
  /** Errors the vertices reported. */
  readonly errors: readonly string[];
}

export class TestControl {
  readonly #session: ClientHttp2Session;

  private constructor(session: ClientHttp2Session) {
    this.#session = session;
  }

  static async open(engine: TestEngine): Promise<TestControl> {
    const socket = await hijack(engine.socket, "/grpc");
    const session = connect("http://buildkit", { createConnection: () => socket });
    session.on("error", () => undefined);
    return new TestControl(session);
  }

  /** Control.Solve; rejects with the gRPC status message on failure. */
  async solve(request: MessageInitShape<typeof SolveRequestSchema>): Promise<Record<string, string>> {
    const call = new TestCall(this.#session, "/moby.buildkit.v1.Control/Solve");
    call.send(toBinary(SolveRequestSchema, create(SolveRequestSchema, request)));
    call.end();
    const messages = await call.rest();
    const status = await call.status;
    if (status.code !== 0) throw new Error(`Control.Solve failed (${status.code}): ${status.message}`);
    const first = messages[0];
    return first === undefined ? {} : { ...fromBinary(SolveResponseSchema, first).exporterResponse };
  }

  /** Control.Status for `ref`, collected until the build ends. */
  async status(ref: string): Promise<BuildProgress> {
    const call = new TestCall(this.#session, "/moby.buildkit.v1.Control/Status");
    call.send(toBinary(StatusRequestSchema, create(StatusRequestSchema, { ref })));
    call.end();
    let logs = "";
    const vertices: string[] = [];
    const errors: string[] = [];
    for (const bytes of await call.rest()) {
      const response = fromBinary(StatusResponseSchema, bytes);
      for (const vertex of response.vertexes) {
        if (!vertices.includes(vertex.name)) vertices.push(vertex.name);
        if (vertex.error !== "") errors.push(vertex.error);
      }
      for (const log of response.logs) logs += Buffer.from(log.msg).toString("utf8");
    }
    return { logs, vertices, errors };
  }

  /**
   * The session as a `Control.Session` tunnel (how buildkitd carries it; dockerd's `/grpc` serves it too): each
   * BytesMessage is a slice of the raw HTTP/2 stream on which the engine is the client.
   */
  openSessionTunnel(headers: readonly (readonly [string, string])[]): Duplex {
    const metadata: Record<string, string[]> = {};
    for (const [name, value] of headers) (metadata[name.toLowerCase()] ??= []).push(value);
    const call = new TestCall(this.#session, "/moby.buildkit.v1.Control/Session", metadata);
    const duplex = new Duplex({
      read() {
        // Pushed as messages arrive.
      },
      write(chunk: Buffer, _encoding, callback) {
        call.send(toBinary(BytesMessageSchema, create(BytesMessageSchema, { data: chunk })));
        callback();
      },
      final(callback) {
        call.end();
        callback();
      },
      destroy(error, callback) {
        call.stream.close();
        callback(error);
      },
    });
    void (async () => {
      for (;;) {
        const message = await call.next().catch(() => undefined);
        if (message === undefined) {
          duplex.push(null);
          return;
        }
        duplex.push(fromBinary(BytesMessageSchema, message).data);
      }
    })();
    return duplex;
  }

  close(): void {
    this.#session.destroy();
  }
}
