// moby.buildkit.secrets.v1.Secrets/GetSecret from the caller's map. Values never appear in a message or error.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GetSecretRequestSchema, GetSecretResponseSchema } from "../gen/session/secrets_pb.ts";
import type { CounterSet } from "./counters.ts";
import type { GrpcCall } from "./grpc-call.ts";
import { GrpcStatus } from "./grpc-status.ts";

/** Secrets by id, as the caller may give them. */
export type SecretValues = ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;

/** Copies the caller's secrets into bytes, so later changes to their map do not leak in. */
export function secretBytes(secrets: SecretValues): ReadonlyMap<string, Uint8Array> {
  const entries: [string, string | Uint8Array][] = isMap(secrets) ? [...secrets.entries()] : Object.entries(secrets);
  return new Map(entries.map(([id, value]) => [id, typeof value === "string" ? Buffer.from(value, "utf8") : Uint8Array.from(value)]));
}

function isMap(secrets: SecretValues): secrets is ReadonlyMap<string, string | Uint8Array> {
  return secrets instanceof Map;
}

export async function serveGetSecret(call: GrpcCall, secrets: ReadonlyMap<string, Uint8Array>, counters: CounterSet): Promise<void> {
  const request = fromBinary(GetSecretRequestSchema, (await call.firstMessage()) ?? new Uint8Array(0));
  const value = secrets.get(request.id);
  if (value === undefined) {
    call.finish(GrpcStatus.notFound, `secret ${request.id} not found`);
    return;
  }
  await call.send(toBinary(GetSecretResponseSchema, create(GetSecretResponseSchema, { data: value })));
  call.finish(GrpcStatus.ok);
  counters.secretsServed++;
}
