// Test-only: `POST /session` or `POST /grpc` on a Docker Engine socket, upgraded to h2c (buildkit-wire.md section 1).
// Returns the raw socket after the 101, paused, with any bytes that came with the reply head pushed back.

import { once } from "node:events";
import { connect } from "node:net";
import type { Socket } from "node:net";

const HEAD_END = "\r\n\r\n";

export async function hijack(socketPath: string, path: string, headers: readonly (readonly [string, string])[] = []): Promise<Socket> {
  const socket = connect(socketPath);
  await once(socket, "connect");
  const lines = [`POST ${path} HTTP/1.1`, "Host: docker", "Connection: Upgrade", "Upgrade: h2c", ...headers.map(([name, value]) => `${name}: ${value}`)];
  socket.write(`${lines.join("\r\n")}${HEAD_END}`);
  let head = Buffer.alloc(0);
  for (;;) {
    const [chunk] = (await once(socket, "data")) as [Buffer];
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf(HEAD_END);
    if (end === -1) continue;
    socket.pause();
    const status = head.subarray(0, end).toString("latin1").split("\r\n")[0] ?? "";
    if (!status.startsWith("HTTP/1.1 101")) {
      socket.destroy();
      throw new Error(`POST ${path}: ${status} ${head.subarray(end + 4).toString("utf8")}`);
    }
    const rest = head.subarray(end + HEAD_END.length);
    if (rest.length > 0) socket.unshift(rest);
    return socket;
  }
}

/** The `/session` headers for a session id, shared key and the methods it serves. */
export function sessionHeaders(sessionId: string, sharedKey: string, methods: readonly string[]): [string, string][] {
  return [
    ["X-Docker-Expose-Session-Uuid", sessionId],
    ["X-Docker-Expose-Session-Name", "chutes-image-test"],
    ["X-Docker-Expose-Session-Sharedkey", sharedKey],
    ...methods.map((method): [string, string] => ["X-Docker-Expose-Session-Grpc-Method", method]),
  ];
}
