import type { Socket } from "node:net";
import type { EngineKind } from "./address.ts";

/**
 * Tells a Docker Engine from a standalone buildkitd on a fresh connection: sends `GET /_ping` over HTTP/1.1. The
 * Docker Engine answers `HTTP/1.1 200 OK`; a gRPC server reads a bad HTTP/2 preface and closes the connection
 * (or answers with HTTP/2 frames). The socket is destroyed afterwards either way.
 */
export function probeEngineKind(socket: Socket, timeoutMs: number): Promise<EngineKind | "silent"> {
  return new Promise((resolve) => {
    let seen = Buffer.alloc(0);
    const done = (kind: EngineKind | "silent"): void => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onClose);
      socket.destroy();
      resolve(kind);
    };
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      if (seen.length >= 5) {
        done(seen.subarray(0, 5).toString("latin1") === "HTTP/" ? "docker" : "buildkitd");
      }
    };
    const onClose = (): void => {
      done(seen.length === 0 ? "buildkitd" : seen.toString("latin1").startsWith("HTTP/") ? "docker" : "buildkitd");
    };
    const timer = setTimeout(() => {
      done("silent");
    }, timeoutMs);
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.once("error", onClose);
    socket.write("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
  });
}
