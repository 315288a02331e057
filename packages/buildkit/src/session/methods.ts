// The gRPC method paths a session serves, from the generated service descriptors.

import type { DescService } from "@bufbuild/protobuf";
import { Auth } from "../gen/session/auth_pb.ts";
import { FileSend, FileSync } from "../gen/session/filesync_pb.ts";
import { Health } from "../gen/session/health_pb.ts";
import { Secrets } from "../gen/session/secrets_pb.ts";

function path(service: DescService, method: string): string {
  const found = service.methods.find((candidate) => candidate.name === method);
  if (found === undefined) throw new Error(`${service.typeName} has no method ${method}`);
  return `/${service.typeName}/${found.name}`;
}

export const SessionMethod = {
  healthCheck: path(Health, "Check"),
  fileSyncDiffCopy: path(FileSync, "DiffCopy"),
  fileSyncTarStream: path(FileSync, "TarStream"),
  fileSendDiffCopy: path(FileSend, "DiffCopy"),
  getSecret: path(Secrets, "GetSecret"),
  authCredentials: path(Auth, "Credentials"),
  authFetchToken: path(Auth, "FetchToken"),
  authGetTokenAuthority: path(Auth, "GetTokenAuthority"),
  authVerifyTokenAuthority: path(Auth, "VerifyTokenAuthority"),
} as const;
