// Test-only: one Dockerfile build through a real engine with our session serving `context` and `dockerfile`.

import { randomUUID } from "node:crypto";
import type { TestEngine } from "@chutes/test-support/engines";
import type { SessionCounters } from "../counters.ts";
import type { SessionError } from "../errors.ts";
import type { SendTarget } from "../file-send.ts";
import type { SecretValues } from "../secrets.ts";
import { serveSession, sessionMethods } from "../server.ts";
import type { SessionServices } from "../server.ts";
import { sessionSharedKey } from "../shared-key.ts";
import { directorySource, memorySource } from "../source.ts";
import type { BuildProgress } from "./control.ts";
import { TestControl } from "./control.ts";
import { hijack, sessionHeaders } from "./hijack.ts";

export interface TestBuild {
  readonly contextDir: string;
  readonly dockerfile: string;
  readonly exporter?: string;
  readonly exporterAttrs?: Readonly<Record<string, string>>;
  readonly send?: SendTarget;
  readonly secrets?: SecretValues;
  readonly frontendAttrs?: Readonly<Record<string, string>>;
  /** Carry the session in a `Control.Session` stream on the `/grpc` connection instead of `POST /session`. */
  readonly tunnel?: boolean;
}

export interface TestBuildResult {
  readonly exporterResponse: Record<string, string>;
  readonly counters: SessionCounters;
  readonly errors: readonly SessionError[];
  readonly progress: BuildProgress;
  /** Control.Solve wall time. */
  readonly solveMs: number;
}

export async function buildWithSession(engine: TestEngine, build: TestBuild): Promise<TestBuildResult> {
  const services: SessionServices = {
    sync: { context: directorySource(build.contextDir), dockerfile: memorySource({ Dockerfile: build.dockerfile }) },
    ...(build.send === undefined ? {} : { send: build.send }),
    ...(build.secrets === undefined ? {} : { secrets: build.secrets }),
  };
  const sessionId = randomUUID();
  const headers = sessionHeaders(sessionId, sessionSharedKey(build.contextDir), sessionMethods(services));
  const control = await TestControl.open(engine);
  const server = serveSession(build.tunnel === true ? control.openSessionTunnel(headers) : await hijack(engine.socket, "/session", headers), services);
  try {
    const ref = randomUUID().replaceAll("-", "");
    const progress = control.status(ref);
    const started = performance.now();
    const solving = control.solve({
      ref,
      session: sessionId,
      frontend: "dockerfile.v0",
      frontendAttrs: { "force-network-mode": "none", ...build.frontendAttrs },
      exporter: build.exporter ?? "",
      exporterAttrs: { ...build.exporterAttrs },
    });
    let exporterResponse: Record<string, string>;
    try {
      exporterResponse = await solving;
    } catch (error) {
      const seen = await progress.catch(() => undefined);
      const detail = seen === undefined ? "" : `\nvertex errors: ${seen.errors.join(" | ")}\nlogs: ${seen.logs}`;
      const session = server.errors.map((sessionError) => `${sessionError.code}: ${sessionError.message}`).join("; ");
      throw new Error(`${(error as Error).message}${detail}${session === "" ? "" : `\nsession errors: ${session}`}`, { cause: error });
    }
    const solveMs = performance.now() - started;
    return { exporterResponse, counters: server.counters(), errors: server.errors, progress: await progress, solveMs };
  } finally {
    control.close();
    await server.close();
  }
}
