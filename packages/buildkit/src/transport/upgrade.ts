import type { Socket } from "node:net";
import { BuildKitError } from "../errors.ts";

/** An HTTP/1.1 `POST` that the Docker Engine upgrades to h2c (`/grpc`, `/session`). */
export interface UpgradeRequest {
  readonly path: string;
  /** Extra header lines, in order; a name may repeat (one `X-Docker-Expose-Session-Grpc-Method` per method). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly timeoutMs: number;
  readonly address: string;
}

const MAX_HEAD = 64 * 1024;
const MAX_ERROR_BODY = 4 * 1024;
const HEAD_END = Buffer.from("\r\n\r\n");

/**
 * Sends `POST <path>` with `Connection: Upgrade`, `Upgrade: h2c` and reads the reply head exactly. On `101` the
 * socket is left paused, with any bytes that arrived after the head (the server's HTTP/2 preface, for
 * `/session`) pushed back with `unshift`, so the next reader sees the raw HTTP/2 stream from its first byte.
 * Any other status rejects with an `upgrade-failed` BuildKitError holding the status line and body.
 */
export function upgradeToH2c(socket: Socket, request: UpgradeRequest): Promise<void> {
  const lines = [
    `POST ${request.path} HTTP/1.1`,
    "Host: docker",
    "Connection: Upgrade",
    "Upgrade: h2c",
    ...(request.headers ?? []).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ];
  return new Promise<void>((resolve, reject) => {
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => {
      fail(new BuildKitError("engine-unreachable", `POST ${request.path}: no reply within ${request.timeoutMs} ms`, { address: request.address }));
    }, request.timeoutMs);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        if (head.length > MAX_HEAD) {
          fail(new BuildKitError("upgrade-failed", `POST ${request.path}: reply head larger than ${MAX_HEAD} bytes`, { address: request.address }));
        }
        return;
      }
      cleanup();
      const text = head.subarray(0, end).toString("latin1");
      const rest = head.subarray(end + HEAD_END.length);
      const [statusLine = ""] = text.split("\r\n");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      if (status === "101") {
        socket.pause();
        if (rest.length > 0) {
          socket.unshift(rest);
        }
        resolve();
        return;
      }
      readErrorBody(socket, text, rest).then(
        (body) => {
          socket.destroy();
          const detail = body === "" ? "" : `: ${body}`;
          reject(
            new BuildKitError("upgrade-failed", `POST ${request.path} was refused with ${statusLine.replace(/^HTTP\/1\.[01] /, "")}${detail}`, {
              address: request.address,
            }),
          );
        },
        () => undefined,
      );
    };
    const onError = (error: Error): void => {
      fail(new BuildKitError("connection-lost", `POST ${request.path}: ${error.message}`, { cause: error, address: request.address }));
    };
    const onClose = (): void => {
      fail(new BuildKitError("connection-lost", `POST ${request.path}: the engine closed the connection before replying`, { address: request.address }));
    };
    function cleanup(): void {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
    }
    function fail(error: BuildKitError): void {
      cleanup();
      socket.destroy();
      reject(error);
    }
    socket.on("data", onData);
    socket.once("error", onError);
    socket.once("close", onClose);
    socket.write(lines.join("\r\n"));
  });
}

/** The body of a refusal, when it is short and arrives promptly (`no upgrade proto in request`). */
function readErrorBody(socket: Socket, head: string, already: Buffer): Promise<string> {
  const lengthHeader = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  const want = Math.min(lengthHeader === undefined ? MAX_ERROR_BODY : Number(lengthHeader), MAX_ERROR_BODY);
  return new Promise((resolve) => {
    let body = already;
    const finish = (): void => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", finish);
      socket.off("close", finish);
      socket.off("error", finish);
      resolve(body.subarray(0, want).toString("utf8").trim());
    };
    const onData = (chunk: Buffer): void => {
      body = Buffer.concat([body, chunk]);
      if (body.length >= want) {
        finish();
      }
    };
    const timer = setTimeout(finish, 1000);
    if (body.length >= want) {
      finish();
      return;
    }
    socket.on("data", onData);
    socket.once("end", finish);
    socket.once("close", finish);
    socket.once("error", finish);
    socket.resume();
  });
}
