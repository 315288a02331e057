// Built images as the engine sees them: their config (Engine API `GET /images/<ref>/json`), compared with what
// image-core's evaluator says, and containers run from them.

import type { BaseImageConfig, ImageConfig } from "@chutes/image-core";
import { engineApi } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";

/** The fields of an image config the tests compare, with the engine's nulls as the evaluator writes them. */
export interface ComparableConfig {
  readonly Env: readonly string[];
  readonly WorkingDir: string;
  readonly User: string;
  readonly Entrypoint: readonly string[] | null;
  readonly Cmd: readonly string[] | null;
  readonly ExposedPorts: readonly string[];
  readonly Labels: Readonly<Record<string, string>>;
}

interface EngineConfig {
  readonly Env?: string[] | null;
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly Entrypoint?: string[] | null;
  readonly Cmd?: string[] | null;
  readonly ExposedPorts?: Record<string, object> | null;
  readonly Labels?: Record<string, string> | null;
}

/** `Config` of an image in the engine's store. */
export async function engineConfig(engine: TestEngine, ref: string): Promise<EngineConfig> {
  const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(ref)}/json`);
  if (reply.status !== 200) throw new Error(`GET /images/${ref}/json: ${reply.status} ${reply.body}`);
  return (JSON.parse(reply.body) as { Config?: EngineConfig | null }).Config ?? {};
}

/** A base image's config in the form `image.inspect(baseConfig)` takes. */
export async function baseConfig(engine: TestEngine, ref: string): Promise<BaseImageConfig> {
  const config = await engineConfig(engine, ref);
  return {
    ...(config.Env ? { Env: config.Env } : {}),
    ...(config.WorkingDir ? { WorkingDir: config.WorkingDir } : {}),
    ...(config.User ? { User: config.User } : {}),
    ...(config.Entrypoint ? { Entrypoint: config.Entrypoint } : {}),
    ...(config.Cmd ? { Cmd: config.Cmd } : {}),
    ...(config.Labels ? { Labels: config.Labels } : {}),
    ...(config.ExposedPorts ? { ExposedPorts: Object.fromEntries(Object.keys(config.ExposedPorts).map((port) => [port, {}])) } : {}),
  };
}

export function comparableEngineConfig(config: EngineConfig): ComparableConfig {
  return {
    Env: config.Env ?? [],
    WorkingDir: config.WorkingDir ?? "",
    User: config.User ?? "",
    Entrypoint: config.Entrypoint ?? null,
    Cmd: config.Cmd ?? null,
    ExposedPorts: Object.keys(config.ExposedPorts ?? {}).sort(),
    Labels: config.Labels ?? {},
  };
}

export function comparableEvaluatedConfig(config: ImageConfig): ComparableConfig {
  return {
    Env: config.Env,
    WorkingDir: config.WorkingDir,
    User: config.User,
    Entrypoint: config.Entrypoint,
    Cmd: config.Cmd,
    ExposedPorts: Object.keys(config.ExposedPorts).sort(),
    Labels: config.Labels,
  };
}

/** Runs a container to its end (network `none` unless given) and returns its exit code and output. */
export async function runContainer(
  engine: TestEngine,
  image: string,
  options: { readonly cmd?: readonly string[]; readonly network?: "none" | "host" } = {},
): Promise<{ exitCode: number; output: string }> {
  const created = await engineApi(engine, "POST", "/containers/create", {
    body: {
      Image: image,
      ...(options.cmd === undefined ? {} : { Cmd: options.cmd }),
      HostConfig: { NetworkMode: options.network ?? "none" },
    },
  });
  if (created.status !== 201) throw new Error(`creating a container of ${image}: ${created.status} ${created.body}`);
  const id = (JSON.parse(created.body) as { Id: string }).Id;
  try {
    const started = await engineApi(engine, "POST", `/containers/${id}/start`);
    if (started.status !== 204) throw new Error(`starting ${id}: ${started.status} ${started.body}`);
    const waited = await engineApi(engine, "POST", `/containers/${id}/wait`, { timeoutMs: 60_000 });
    const exitCode = (JSON.parse(waited.body) as { StatusCode: number }).StatusCode;
    const logs = await engineApi(engine, "GET", `/containers/${id}/logs?stdout=1&stderr=1`);
    return { exitCode, output: demultiplex(logs.raw) };
  } finally {
    await engineApi(engine, "DELETE", `/containers/${id}?force=1`);
  }
}

/** A service container: started with host networking; `stop()` removes it. */
export async function startContainer(engine: TestEngine, image: string, cmd: readonly string[]): Promise<{ stop(): Promise<void>; logs(): Promise<string> }> {
  const created = await engineApi(engine, "POST", "/containers/create", { body: { Image: image, Cmd: cmd, HostConfig: { NetworkMode: "host" } } });
  if (created.status !== 201) throw new Error(`creating a container of ${image}: ${created.status} ${created.body}`);
  const id = (JSON.parse(created.body) as { Id: string }).Id;
  const started = await engineApi(engine, "POST", `/containers/${id}/start`);
  if (started.status !== 204) {
    await engineApi(engine, "DELETE", `/containers/${id}?force=1`);
    throw new Error(`starting ${id}: ${started.status} ${started.body}`);
  }
  return {
    stop: async () => {
      await engineApi(engine, "DELETE", `/containers/${id}?force=1`);
    },
    logs: async () => demultiplex((await engineApi(engine, "GET", `/containers/${id}/logs?stdout=1&stderr=1`)).raw),
  };
}

/** The log stream of a container without a TTY: an 8-byte header before each chunk. */
function demultiplex(stream: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= stream.length) {
    const size = stream.readUInt32BE(offset + 4);
    parts.push(stream.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}
