// The engines the integration tests run against (scripts/engine.sh starts them, docs/engines.md): A = Docker 20.10
// with BuildKit 0.8, B = Docker 26 with BuildKit 0.13. CHUTES_ENGINE=a|b|all (default all) selects them; under
// CI=true an engine that does not answer fails the tests instead of skipping them.

import { request } from "node:http";

export interface TestEngine {
  readonly id: "a" | "b";
  /** Part of test names: `engine A (Docker 20.10, BuildKit 0.8)`. */
  readonly label: string;
  /** The Engine API's unix socket. */
  readonly socket: string;
  /** The socket as a BuildKit address: `docker+unix:///run/chutes-image/a/docker.sock`. */
  readonly address: string;
}

const ALL: readonly TestEngine[] = (["a", "b"] as const).map((id) => ({
  id,
  label: id === "a" ? "engine A (Docker 20.10, BuildKit 0.8)" : "engine B (Docker 26, BuildKit 0.13)",
  socket: `/run/chutes-image/${id}/docker.sock`,
  address: `docker+unix:///run/chutes-image/${id}/docker.sock`,
}));

/** `CI` is set to anything but ``, `0` or `false`: integration tests fail instead of skipping. */
export const ci = !["", "0", "false", undefined].includes(process.env.CI);

/** The engines selected by CHUTES_ENGINE (`a`, `b`, or `all`, the default; case does not matter). */
export function selectedEngines(): readonly TestEngine[] {
  const choice = (process.env.CHUTES_ENGINE ?? "all").toLowerCase();
  return choice === "all" || choice === "" ? ALL : ALL.filter((engine) => engine.id === choice);
}

export interface EngineApiOptions {
  /** Sent as JSON (`content-type: application/json`). */
  readonly body?: unknown;
  /** Default 30 s. */
  readonly timeoutMs?: number;
}

export interface EngineReply {
  readonly status: number;
  /** The body as UTF-8. */
  readonly body: string;
  /** The body's bytes (an image or container archive, a multiplexed log stream). */
  readonly raw: Buffer;
}

/** One Engine API call over the engine's unix socket. */
export function engineApi(engine: TestEngine, method: string, path: string, options: EngineApiOptions = {}): Promise<EngineReply> {
  const { body, timeoutMs = 30_000 } = options;
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { host: "docker", ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": String(payload.length) }) };
    const req = request({ socketPath: engine.socket, method, path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body: raw.toString("utf8"), raw });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** The engine answers `GET /_ping` within a second. */
export async function isReachable(engine: TestEngine): Promise<boolean> {
  try {
    return (await engineApi(engine, "GET", "/_ping", { timeoutMs: 1000 })).status === 200;
  } catch {
    return false;
  }
}
