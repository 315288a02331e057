import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BuildKitError } from "../errors.ts";

/** Which server speaks at an address: the Docker Engine (BuildKit behind `/grpc`) or a standalone buildkitd. */
export type EngineKind = "docker" | "buildkitd";

/** Where an address came from, in the order they are tried. */
export type AddressSource = "option" | "BUILDKIT_HOST" | "DOCKER_HOST" | "default";

interface AddressBase {
  /** `auto`: decided when connecting, by asking `GET /_ping` (a Docker Engine answers HTTP/1.1). */
  readonly kind: EngineKind | "auto";
  readonly source: AddressSource;
  /** The address as given (or the default socket's URL). */
  readonly raw: string;
}

export interface UnixAddress extends AddressBase {
  readonly network: "unix";
  readonly path: string;
}

export interface TcpAddress extends AddressBase {
  readonly network: "tcp";
  readonly host: string;
  readonly port: number;
  /** DOCKER_TLS_VERIFY was set with this DOCKER_HOST: read `ca.pem`, `cert.pem`, `key.pem` from here. */
  readonly dockerCertPath?: string;
}

export type EngineAddress = UnixAddress | TcpAddress;

export interface ResolveAddressOptions {
  /** An explicit address; wins over the environment. */
  readonly address?: string;
  /** The environment to read `BUILDKIT_HOST`, `DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH` from. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How to test that a default socket exists (tests replace it). */
  readonly exists?: (path: string) => boolean;
}

/** The default sockets, tried in this order when no address is given. */
export const DEFAULT_SOCKETS: readonly { readonly path: string; readonly kind: EngineKind }[] = [
  { path: "/run/buildkit/buildkitd.sock", kind: "buildkitd" },
  { path: "/var/run/docker.sock", kind: "docker" },
];

const KIND_PREFIXES: readonly (readonly [string, EngineKind])[] = [
  ["docker+", "docker"],
  ["buildkitd+", "buildkitd"],
];

/**
 * Picks the engine address: `options.address`, then `BUILDKIT_HOST`, then `DOCKER_HOST`, then the first default
 * socket that exists (`/run/buildkit/buildkitd.sock`, then `/var/run/docker.sock`).
 *
 * Schemes: `unix:///path` and `tcp://host:port`, optionally prefixed with the engine kind: `docker+unix://`,
 * `docker+tcp://`, `buildkitd+unix://`, `buildkitd+tcp://`. Without a prefix the kind follows the source:
 * `BUILDKIT_HOST` means buildkitd, `DOCKER_HOST` means the Docker Engine, a default socket is what it is named
 * after, and an explicit `options.address` is probed when connecting (`kind: "auto"`).
 */
export function resolveAddress(options: ResolveAddressOptions = {}): EngineAddress {
  const env = options.env ?? process.env;
  if (options.address !== undefined && options.address !== "") {
    return parseAddress(options.address, "option", "auto");
  }
  const buildkitHost = env.BUILDKIT_HOST;
  if (buildkitHost !== undefined && buildkitHost !== "") {
    return parseAddress(buildkitHost, "BUILDKIT_HOST", "buildkitd");
  }
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== "") {
    const address = parseAddress(dockerHost, "DOCKER_HOST", "docker");
    const verify = env.DOCKER_TLS_VERIFY;
    if (address.network === "tcp" && verify !== undefined && verify !== "") {
      const certPath = env.DOCKER_CERT_PATH;
      return {
        ...address,
        dockerCertPath: certPath !== undefined && certPath !== "" ? certPath : join(homedir(), ".docker"),
      };
    }
    return address;
  }
  const exists = options.exists ?? existsSync;
  for (const socket of DEFAULT_SOCKETS) {
    if (exists(socket.path)) {
      return { network: "unix", path: socket.path, kind: socket.kind, source: "default", raw: `unix://${socket.path}` };
    }
  }
  throw new BuildKitError(
    "engine-unreachable",
    `no BuildKit engine address: none was given, BUILDKIT_HOST and DOCKER_HOST are unset, and none of ${DEFAULT_SOCKETS.map((s) => s.path).join(", ")} exists`,
  );
}

/** Parses one address string; `bareKind` is the kind of an address without a `docker+`/`buildkitd+` prefix. */
export function parseAddress(raw: string, source: AddressSource, bareKind: EngineKind | "auto"): EngineAddress {
  let rest = raw;
  let kind = bareKind;
  for (const [prefix, prefixKind] of KIND_PREFIXES) {
    if (rest.startsWith(prefix)) {
      rest = rest.slice(prefix.length);
      kind = prefixKind;
    }
  }
  if (rest.startsWith("unix://")) {
    const path = rest.slice("unix://".length);
    if (path === "") {
      throw invalid(raw, source, "a unix address needs a socket path, e.g. unix:///run/buildkit/buildkitd.sock");
    }
    return { network: "unix", path, kind, source, raw };
  }
  if (rest.startsWith("tcp://")) {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw invalid(raw, source, "expected tcp://host:port");
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (host === "") {
      throw invalid(raw, source, "expected tcp://host:port");
    }
    let port = url.port === "" ? undefined : Number(url.port);
    if (port === undefined) {
      if (kind !== "docker") {
        throw invalid(raw, source, "a tcp address needs a port, e.g. tcp://127.0.0.1:1234");
      }
      port = 2375;
    }
    return { network: "tcp", host, port, kind, source, raw };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest)?.[1];
  throw invalid(
    raw,
    source,
    scheme === undefined
      ? "expected unix:///path or tcp://host:port, optionally prefixed with docker+ or buildkitd+"
      : `the scheme ${scheme}:// is not supported; use unix://, tcp://, docker+unix://, docker+tcp://, buildkitd+unix:// or buildkitd+tcp://`,
  );
}

/** The address in its explicit form, e.g. `docker+unix:///var/run/docker.sock`. */
export function formatAddress(address: EngineAddress, kind: EngineKind | "auto" = address.kind): string {
  const prefix = kind === "auto" ? "" : `${kind}+`;
  if (address.network === "unix") {
    return `${prefix}unix://${address.path}`;
  }
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${prefix}tcp://${host}:${address.port}`;
}

function invalid(raw: string, source: AddressSource, why: string): BuildKitError {
  const from = source === "option" ? "" : ` (from ${source === "default" ? "the default" : source})`;
  return new BuildKitError("invalid-address", `invalid engine address ${JSON.stringify(raw)}${from}: ${why}`, {
    address: raw,
  });
}
