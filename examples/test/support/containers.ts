// Containers for the gallery's integration tests, through the Engine API: a service started with an environment, a
// one-off container with another entrypoint (to run an image's healthcheck command beside its service), the files
// at a path of a container's file system, and the engine's Healthcheck of an image.
//
// Not `POST /containers/{id}/exec`: on engine B (dockerd inside a chroot) an exec runs in the host's root file
// system, not the container's (`ls /` shows the host's), so a command "in the container" would test the host.

import { engineApi } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTree } from "@chutes/test-support/tar-listing";
import type { TreeEntry } from "@chutes/test-support/tar-listing";

export interface Container {
  readonly id: string;
  /** The container's output so far (stdout and stderr). */
  logs(): Promise<string>;
  /** The entries under `path` (the archive's top directory is the path's last component), or null when absent. */
  files(path: string): Promise<TreeEntry[] | null>;
  remove(): Promise<void>;
}

/**
 * Creates a container of `image` with host networking (the engines have no bridge) and `env` added to the image's,
 * and starts it unless `start` is false (a stopped container's files can still be read).
 */
export async function createContainer(
  engine: TestEngine,
  image: string,
  options: { readonly env?: Readonly<Record<string, string>>; readonly start?: boolean } = {},
): Promise<Container> {
  const env = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`);
  const created = await engineApi(engine, "POST", "/containers/create", { body: { Image: image, Env: env, HostConfig: { NetworkMode: "host" } } });
  if (created.status !== 201) throw new Error(`creating a container of ${image}: ${created.status} ${created.body}`);
  const id = (JSON.parse(created.body) as { Id: string }).Id;
  const container: Container = {
    id,
    logs: async () => demultiplex((await engineApi(engine, "GET", `/containers/${id}/logs?stdout=1&stderr=1`)).raw),
    files: async (path) => {
      const reply = await engineApi(engine, "GET", `/containers/${id}/archive?path=${encodeURIComponent(path)}`);
      if (reply.status === 404) return null;
      if (reply.status !== 200) throw new Error(`GET /containers/${id}/archive?path=${path}: ${reply.status} ${reply.body}`);
      return listTree(reply.raw);
    },
    remove: async () => {
      await engineApi(engine, "DELETE", `/containers/${id}?force=1`);
    },
  };
  if (options.start === false) return container;
  const started = await engineApi(engine, "POST", `/containers/${id}/start`);
  if (started.status !== 204) {
    await container.remove();
    throw new Error(`starting ${id}: ${started.status} ${started.body}`);
  }
  return container;
}

/**
 * Runs a container of `image` to its end with `entrypoint` (and no command) instead of the image's, host networking
 * and `env` added: the exit code and the output (stdout and stderr).
 */
export async function runEntrypoint(
  engine: TestEngine,
  image: string,
  entrypoint: readonly string[],
  env: Readonly<Record<string, string>> = {},
  timeoutMs = 60_000,
): Promise<{ exitCode: number; output: string }> {
  const created = await engineApi(engine, "POST", "/containers/create", {
    body: {
      Image: image,
      Entrypoint: entrypoint,
      Cmd: [],
      Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
      HostConfig: { NetworkMode: "host" },
    },
  });
  if (created.status !== 201) throw new Error(`creating a container of ${image}: ${created.status} ${created.body}`);
  const id = (JSON.parse(created.body) as { Id: string }).Id;
  try {
    const started = await engineApi(engine, "POST", `/containers/${id}/start`);
    if (started.status !== 204) throw new Error(`starting ${id}: ${started.status} ${started.body}`);
    const waited = await engineApi(engine, "POST", `/containers/${id}/wait`, { timeoutMs });
    const exitCode = (JSON.parse(waited.body) as { StatusCode: number }).StatusCode;
    const logs = await engineApi(engine, "GET", `/containers/${id}/logs?stdout=1&stderr=1`);
    return { exitCode, output: demultiplex(logs.raw) };
  } finally {
    await engineApi(engine, "DELETE", `/containers/${id}?force=1`);
  }
}

/** `Config.Healthcheck` of an image in the engine's store (null when it has none). */
export async function engineHealthcheck(engine: TestEngine, ref: string): Promise<unknown> {
  const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(ref)}/json`);
  if (reply.status !== 200) throw new Error(`GET /images/${ref}/json: ${reply.status} ${reply.body}`);
  return (JSON.parse(reply.body) as { Config?: { Healthcheck?: unknown } | null }).Config?.Healthcheck ?? null;
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
