// Test-only: the few Docker Engine API calls the integration tests need, over the engine's unix socket.

import { request } from "node:http";

export interface Engine {
  readonly name: "a" | "b";
  readonly socket: string;
}

const ALL: readonly Engine[] = [
  { name: "a", socket: "/run/chutes-image/a/docker.sock" },
  { name: "b", socket: "/run/chutes-image/b/docker.sock" },
];

/** The engines to test: `CHUTES_ENGINE=a|b` picks one, otherwise both (as in test/support/engines.ts). */
export function selectedEngines(): readonly Engine[] {
  const pick = process.env.CHUTES_ENGINE;
  return pick === "a" || pick === "b" ? ALL.filter((engine) => engine.name === pick) : ALL;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: Buffer;
}

export function engineRequest(engine: Engine, method: string, path: string, timeoutMs = 30_000): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socket, method, path, headers: { host: "docker" }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/** True when `GET /_ping` answers OK within a second. */
export async function engineReachable(engine: Engine): Promise<boolean> {
  try {
    return (await engineRequest(engine, "GET", "/_ping", 1000)).status === 200;
  } catch {
    return false;
  }
}

/** Lists the entries of an uncompressed tar: name, type flag and contents (test-sized archives only). */
export function listTar(tar: Buffer): { name: string; type: string; data: Buffer }[] {
  const out: { name: string; type: string; data: Buffer }[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const prefix = field(345, 155);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const name = longName ?? (prefix === "" ? field(0, 100) : `${prefix}/${field(0, 100)}`);
    longName = undefined;
    if (type === "x" || type === "g") continue;
    out.push({ name, type, data });
  }
  return out;
}
