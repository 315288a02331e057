// The engines the integration tests run against (scripts/engine.sh starts them): A = Docker 20.10 with BuildKit
// 0.8, B = Docker 26 with BuildKit 0.13. CHUTES_ENGINE=a|b|all (default all) selects them; under CI=true an engine
// that does not answer fails the tests instead of skipping them.
import { request } from "node:http";

export interface TestEngine {
  readonly id: "a" | "b";
  readonly label: string;
  readonly socket: string;
  readonly address: string;
}

const ALL: readonly TestEngine[] = (["a", "b"] as const).map((id) => ({
  id,
  label: id === "a" ? "engine A (Docker 20.10, BuildKit 0.8)" : "engine B (Docker 26, BuildKit 0.13)",
  socket: `/run/chutes-image/${id}/docker.sock`,
  address: `docker+unix:///run/chutes-image/${id}/docker.sock`,
}));

export const ci = !["", "0", "false", undefined].includes(process.env.CI);

export function selectedEngines(): readonly TestEngine[] {
  const choice = (process.env.CHUTES_ENGINE ?? "all").toLowerCase();
  return choice === "all" || choice === "" ? ALL : ALL.filter((engine) => engine.id === choice);
}

/** One Engine API call over the engine's unix socket. */
export function engineApi(engine: TestEngine, method: string, path: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socket, method, path, headers: { host: "docker" }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end();
  });
}

export async function isReachable(engine: TestEngine): Promise<boolean> {
  try {
    return (await engineApi(engine, "GET", "/_ping", 1000)).status === 200;
  } catch {
    return false;
  }
}
