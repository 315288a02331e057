// moby.filesync.v1.Auth: registry credentials by host when the caller gave some. GetTokenAuthority answers
// UNIMPLEMENTED, so the engine falls back to Credentials (and never calls FetchToken/VerifyTokenAuthority).

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { CredentialsRequestSchema, CredentialsResponseSchema } from "../gen/session/auth_pb.ts";
import type { GrpcCall } from "./grpc-call.ts";
import { GrpcStatus } from "./grpc-status.ts";

/** A registry login. Never logged. */
export interface RegistryCredentials {
  readonly username: string;
  /** The password or an identity token. */
  readonly secret: string;
}

/** Docker Hub's names: the engine asks for `registry-1.docker.io`, configs say `docker.io` or the v1 URL. */
const DOCKER_HUB = ["registry-1.docker.io", "docker.io", "index.docker.io", "https://index.docker.io/v1/"];

/** The credentials for `host`, trying Docker Hub's aliases for one another; `undefined` means anonymous. */
export function credentialsFor(auth: Readonly<Record<string, RegistryCredentials>>, host: string): RegistryCredentials | undefined {
  const direct = Object.hasOwn(auth, host) ? auth[host] : undefined;
  if (direct !== undefined || !DOCKER_HUB.includes(host)) return direct;
  for (const alias of DOCKER_HUB) {
    if (Object.hasOwn(auth, alias)) return auth[alias];
  }
  return undefined;
}

export async function serveCredentials(call: GrpcCall, auth: Readonly<Record<string, RegistryCredentials>>): Promise<void> {
  const request = fromBinary(CredentialsRequestSchema, (await call.firstMessage()) ?? new Uint8Array(0));
  const found = credentialsFor(auth, request.host);
  const response = create(CredentialsResponseSchema, found === undefined ? {} : { username: found.username, secret: found.secret });
  await call.send(toBinary(CredentialsResponseSchema, response));
  call.finish(GrpcStatus.ok);
}
