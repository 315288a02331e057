// Reads the recorded Control.Status streams of test/fixtures/status/ (scripts/record-status-fixtures.ts).
import { readFileSync, readdirSync } from "node:fs";
import { fromBinary } from "@bufbuild/protobuf";
import { rawStatusResponse } from "../../src/control-convert.ts";
import type { RawStatusResponse } from "../../src/control-types.ts";
import { StatusResponseSchema } from "../../src/gen/moby/buildkit/v1/control_pb.ts";

const DIR = new URL("../fixtures/status/", import.meta.url);

export interface StatusFixture {
  readonly name: string;
  readonly engine: string;
  readonly scenario: string;
  readonly outcome: { readonly ok: boolean; readonly message?: string };
  readonly messages: readonly RawStatusResponse[];
}

export function statusFixtureNames(): string[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

export function loadStatusFixture(name: string): StatusFixture {
  const json = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8")) as {
    engine: string;
    scenario: string;
    outcome: { ok: boolean; message?: string };
    messages: string[];
  };
  return {
    name,
    engine: json.engine,
    scenario: json.scenario,
    outcome: json.outcome,
    messages: json.messages.map((b64) => rawStatusResponse(fromBinary(StatusResponseSchema, Buffer.from(b64, "base64")))),
  };
}

export async function* replay(messages: readonly RawStatusResponse[]): AsyncGenerator<RawStatusResponse> {
  for (const message of messages) {
    await Promise.resolve();
    yield message;
  }
}
