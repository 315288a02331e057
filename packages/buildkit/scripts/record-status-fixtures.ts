// Records real Control.Status streams from the engines as golden input for the progress tests.
//
// usage: pnpm --filter @chutes/buildkit record-fixtures [a] [b]      (default: both; the engines must be up:
//        bash scripts/engine.sh up)
//
// For each engine and scenario, runs a tiny LLB build (busybox + one exec, no network) with Status and Solve
// together, and writes test/fixtures/status/<engine>-<scenario>.json: every StatusResponse as the base64 of its
// protobuf bytes, in arrival order, and the Solve outcome. The image it makes is removed again. Review the diff
// and the golden renderings (`vitest run -u` rewrites those) before committing a re-recording.
import { writeFile } from "node:fs/promises";
import { toBinary } from "@bufbuild/protobuf";
import { fileURLToPath } from "node:url";
import { engineApi, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { createControlClient, newRef } from "../src/control.ts";
import { Control, StatusResponseSchema } from "../src/gen/moby/buildkit/v1/control_pb.ts";
import { EngineConnection } from "../src/transport/connection.ts";
import { busyboxExec } from "../test/support/definition.ts";

const OUT = fileURLToPath(new URL("../test/fixtures/status/", import.meta.url));

interface Scenario {
  readonly id: string;
  readonly why: string;
  readonly script: string;
  readonly name: string;
}

const nonce = Date.now().toString(36);
const SCENARIOS: readonly Scenario[] = [
  { id: "echo", why: "an exec that writes to stdout and stderr, then the export", script: `echo hello; echo err >&2 # ${nonce}`, name: "echo hello" },
  { id: "echo-cached", why: "the same build again: every vertex cached", script: `echo hello; echo err >&2 # ${nonce}`, name: "echo hello" },
  {
    id: "chunks",
    why: "partial lines, a UTF-8 character and a pause between writes",
    script: `printf 'part one '; sleep 0.3; printf 'and two\\nline 2\\n'; printf 'caf\\303\\251\\n' >&2; printf 'no newline at end' # ${nonce}`,
    name: "chunks",
  },
  { id: "fail", why: "an exec that fails with exit code 3 after some output", script: `echo about to fail; echo oops >&2; exit 3 # ${nonce}`, name: "fail" },
];

async function record(engine: TestEngine, scenario: Scenario): Promise<void> {
  const connection = await EngineConnection.open({ address: engine.address });
  const raw = connection.client(Control);
  const control = createControlClient(connection);
  const ref = newRef();
  const image = `docker.io/chutes-test/record-${scenario.id}:${engine.id}`;
  const graph = busyboxExec(scenario.script, scenario.name);
  const messages: string[] = [];
  const status = (async () => {
    for await (const message of raw.status({ ref })) {
      messages.push(Buffer.from(toBinary(StatusResponseSchema, message)).toString("base64"));
    }
  })();
  let outcome: unknown;
  try {
    const result = await control.solve({ ref, definition: graph.definition, exporter: { type: "moby", attrs: { name: image } } });
    outcome = { ok: true, exporterKeys: Object.keys(result.exporterResponse).sort() };
  } catch (error) {
    const e = error as { code?: string; grpcStatus?: { code: number; message: string } };
    outcome = { ok: false, code: e.code, grpcCode: e.grpcStatus?.code, message: e.grpcStatus?.message };
  } finally {
    await status;
    await engineApi(engine, "DELETE", `/images/${encodeURIComponent(image)}?force=1`);
    await connection.close();
  }
  const version = JSON.parse((await engineApi(engine, "GET", "/version")).body) as { Version: string };
  const file = `${OUT}${engine.id}-${scenario.id}.json`;
  const fixture = { engine: `Docker ${version.Version}`, scenario: scenario.id, why: scenario.why, script: scenario.script, outcome, messages };
  await writeFile(file, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${engine.id} ${scenario.id}: ${messages.length} messages -> ${file}`);
}

/** Removes the cache records the recordings made (their descriptions carry the nonce). */
async function pruneRecords(engine: TestEngine): Promise<void> {
  const connection = await EngineConnection.open({ address: engine.address });
  try {
    const control = createControlClient(connection);
    const ours = (await control.diskUsage()).filter((r) => r.description.includes(nonce)).map((r) => `id==${r.id}`);
    if (ours.length > 0) {
      await control.prune({ filters: ours });
    }
  } finally {
    await connection.close();
  }
}

const wanted = process.argv.slice(2);
for (const engine of selectedEngines().filter((e) => wanted.length === 0 || wanted.includes(e.id))) {
  for (const scenario of SCENARIOS) {
    await record(engine, scenario);
  }
  await pruneRecords(engine);
}
