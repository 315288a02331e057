import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ClientHttp2Session } from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import { CredentialsRequestSchema, CredentialsResponseSchema } from "../gen/session/auth_pb.ts";
import { GetSecretRequestSchema, GetSecretResponseSchema } from "../gen/session/secrets_pb.ts";
import type { SessionServer, SessionServices } from "./server.ts";
import { serveSession, sessionMethods } from "./server.ts";
import { TestCall, duplexPair, http2Client, socketPair, unary } from "./testing/grpc-client.ts";

const opened: { server: SessionServer; client: ClientHttp2Session }[] = [];

async function start(services: SessionServices = {}): Promise<{ server: SessionServer; client: ClientHttp2Session }> {
  const pair = await socketPair();
  const server = serveSession(pair.server, services);
  const client = http2Client(pair.client);
  opened.push({ server, client });
  return { server, client };
}

afterEach(async () => {
  for (const { server, client } of opened.splice(0)) {
    client.destroy();
    await server.close();
  }
});

describe("serveSession", () => {
  it("answers Health/Check with SERVING (bytes 08 01), every time", async () => {
    const { server, client } = await start();
    for (let i = 0; i < 3; i++) {
      const { messages, status } = await unary(client, "/grpc.health.v1.Health/Check", new Uint8Array(0), { "grpc-timeout": "10S" });
      expect(messages.map((m) => Buffer.from(m).toString("hex"))).toEqual(["0801"]);
      expect(status).toEqual({ code: 0, message: "", trailersOnly: false });
    }
    expect(server.counters().healthChecks).toBe(3);
  });

  it("answers an unknown method UNIMPLEMENTED (12), trailers-only", async () => {
    const { client } = await start();
    const { messages, status } = await unary(client, "/moby.sshforward.v1.SSH/CheckAgent", new Uint8Array(0));
    expect(messages).toEqual([]);
    expect(status).toEqual({ code: 12, message: "unknown method /moby.sshforward.v1.SSH/CheckAgent", trailersOnly: true });
  });

  it("answers services that were not given UNIMPLEMENTED: FileSync, FileSend, Secrets, Auth", async () => {
    const { client } = await start();
    for (const path of [
      "/moby.filesync.v1.FileSync/DiffCopy",
      "/moby.filesync.v1.FileSync/TarStream",
      "/moby.filesync.v1.FileSend/DiffCopy",
      "/moby.buildkit.secrets.v1.Secrets/GetSecret",
      "/moby.filesync.v1.Auth/Credentials",
      "/moby.filesync.v1.Auth/GetTokenAuthority",
      "/moby.filesync.v1.Auth/FetchToken",
      "/moby.filesync.v1.Auth/VerifyTokenAuthority",
    ]) {
      const { status } = await unary(client, path, new Uint8Array(0));
      expect(status.code, path).toBe(12);
    }
  });

  it("serves secrets by id and answers NOT_FOUND (5) for unknown ids, without the value in any message", async () => {
    const { server, client } = await start({ secrets: new Map([["token", "s3cr3t-value"]]) });
    const ask = (id: string) => unary(client, "/moby.buildkit.secrets.v1.Secrets/GetSecret", toBinary(GetSecretRequestSchema, create(GetSecretRequestSchema, { id })));
    const found = await ask("token");
    expect(found.status.code).toBe(0);
    expect(found.messages).toHaveLength(1);
    expect(Buffer.from(fromBinary(GetSecretResponseSchema, found.messages[0]!).data).toString()).toBe("s3cr3t-value");
    const missing = await ask("nope");
    expect(missing.status).toEqual({ code: 5, message: "secret nope not found", trailersOnly: true });
    expect(server.counters().secretsServed).toBe(1);
    expect(server.errors).toEqual([]);
  });

  it("accepts secrets as a record of strings or bytes", async () => {
    const { client } = await start({ secrets: { a: Uint8Array.of(0, 1, 2) } });
    const { messages } = await unary(client, "/moby.buildkit.secrets.v1.Secrets/GetSecret", toBinary(GetSecretRequestSchema, create(GetSecretRequestSchema, { id: "a" })));
    expect([...fromBinary(GetSecretResponseSchema, messages[0]!).data]).toEqual([0, 1, 2]);
  });

  it("answers Auth/Credentials by host when credentials were given, GetTokenAuthority stays UNIMPLEMENTED", async () => {
    const { client } = await start({ auth: { "docker.io": { username: "me", secret: "pw" }, "registry.example": { username: "u", secret: "s" } } });
    const ask = async (host: string) => {
      const { messages, status } = await unary(client, "/moby.filesync.v1.Auth/Credentials", toBinary(CredentialsRequestSchema, create(CredentialsRequestSchema, { host })));
      expect(status.code).toBe(0);
      const response = fromBinary(CredentialsResponseSchema, messages[0]!);
      return { username: response.username, secret: response.secret };
    };
    expect(await ask("registry-1.docker.io")).toEqual({ username: "me", secret: "pw" });
    expect(await ask("registry.example")).toEqual({ username: "u", secret: "s" });
    expect(await ask("other.example")).toEqual({ username: "", secret: "" });
    const authority = await unary(client, "/moby.filesync.v1.Auth/GetTokenAuthority", new Uint8Array(0));
    expect(authority.status.code).toBe(12);
  });

  it("lists the methods to advertise for the services given", () => {
    expect(sessionMethods({})).toEqual(["/grpc.health.v1.Health/Check"]);
    expect(
      sessionMethods({ sync: { context: { entries: () => [], open: () => [] } }, send: { type: "local", dir: "/tmp/x" }, secrets: {}, auth: {} }),
    ).toEqual([
      "/grpc.health.v1.Health/Check",
      "/moby.filesync.v1.FileSync/DiffCopy",
      "/moby.filesync.v1.FileSend/DiffCopy",
      "/moby.buildkit.secrets.v1.Secrets/GetSecret",
      "/moby.filesync.v1.Auth/Credentials",
    ]);
  });

  it("close() ends the connection and settles `closed`; a peer that goes away settles it too", async () => {
    const { server, client } = await start();
    await unary(client, "/grpc.health.v1.Health/Check", new Uint8Array(0));
    const clientClosed = new Promise((resolve) => client.once("close", resolve));
    await server.close();
    await server.closed;
    await clientClosed;

    const other = await start();
    other.client.destroy();
    await other.server.closed;
  });
});

describe("serveSession over a plain Duplex (the Control.Session tunnel)", () => {
  it("serves health checks and secrets over in-memory streams", async () => {
    const [serverSide, clientSide] = duplexPair();
    const server = serveSession(serverSide, { secrets: { token: "v" } });
    const client = http2Client(clientSide);
    try {
      const health = await unary(client, "/grpc.health.v1.Health/Check", new Uint8Array(0));
      expect(health.messages.map((m) => Buffer.from(m).toString("hex"))).toEqual(["0801"]);
      const secret = await unary(client, "/moby.buildkit.secrets.v1.Secrets/GetSecret", toBinary(GetSecretRequestSchema, create(GetSecretRequestSchema, { id: "token" })));
      expect(Buffer.from(fromBinary(GetSecretResponseSchema, secret.messages[0]!).data).toString()).toBe("v");
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe("SessionServer.close during a transfer", () => {
  it("cancels a FileSync call that is still walking and settles `closed`", async () => {
    const pair = await socketPair();
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = serveSession(pair.server, {
      sync: {
        context: {
          entries: async function* () {
            yield { path: "a", mode: 0o644, size: 1, mtimeNs: 0n };
            await stuck;
          },
          open: () => [Buffer.from("a")],
        },
      },
    });
    const client = http2Client(pair.client);
    const call = new TestCall(client, "/moby.filesync.v1.FileSync/DiffCopy", { "dir-name": "context" });
    expect(await call.next()).toBeDefined();
    await server.close();
    await server.closed;
    expect((await call.status).code).not.toBe(0);
    expect(server.errors).toEqual([]);
    release();
    client.destroy();
  });
});

describe("a long session", () => {
  it("answers 200 health checks without piling up listeners or warnings", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on("warning", onWarning);
    try {
      const { server, client } = await start();
      for (let i = 0; i < 200; i++) await unary(client, "/grpc.health.v1.Health/Check", new Uint8Array(0));
      expect(server.counters().healthChecks).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.message)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
