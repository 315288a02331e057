import { isIP, connect as netConnect } from "node:net";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { BuildKitError } from "../errors.ts";
import type { EngineAddress } from "./address.ts";

/** Client TLS material for `tcp://` addresses (PEM text or bytes). */
export interface TlsOptions {
  /** CA certificate(s) that sign the server's certificate. Without it, Node's default CAs apply. */
  readonly ca?: string | Uint8Array;
  /** Client certificate, for mutual TLS. */
  readonly cert?: string | Uint8Array;
  /** Client private key, for mutual TLS. */
  readonly key?: string | Uint8Array;
  /** The name to verify the server certificate against (defaults to the address's host). */
  readonly serverName?: string;
}

export interface DialOptions {
  readonly tls?: TlsOptions | undefined;
  /** ALPN protocol to offer over TLS: `h2` for buildkitd, `http/1.1` for the Docker Engine. */
  readonly alpn: "h2" | "http/1.1";
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** Opens a stream socket to the address (TLS when `tls` is given for a tcp address). */
export function dial(address: EngineAddress, options: DialOptions): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const where = address.network === "unix" ? address.path : `${address.host}:${address.port}`;
    let socket: Socket;
    let readyEvent: "connect" | "secureConnect" = "connect";
    if (address.network === "unix") {
      socket = netConnect({ path: address.path });
    } else if (options.tls === undefined) {
      socket = netConnect({ host: address.host, port: address.port, noDelay: true });
    } else {
      const tls = options.tls;
      const serverName = tls.serverName ?? (isIP(address.host) === 0 ? address.host : undefined);
      socket = tlsConnect({
        host: address.host,
        port: address.port,
        ...(serverName === undefined ? {} : { servername: serverName }),
        ALPNProtocols: [options.alpn],
        ...(tls.ca === undefined ? {} : { ca: toPem(tls.ca) }),
        ...(tls.cert === undefined ? {} : { cert: toPem(tls.cert) }),
        ...(tls.key === undefined ? {} : { key: toPem(tls.key) }),
      });
      readyEvent = "secureConnect";
    }
    const timer = setTimeout(() => {
      fail(new Error(`timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const onAbort = (): void => {
      fail(options.signal?.reason ?? new Error("aborted"), "aborted");
    };
    const onError = (error: Error): void => {
      fail(error);
    };
    const onReady = (): void => {
      cleanup();
      resolve(socket);
    };
    function cleanup(): void {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off(readyEvent, onReady);
    }
    function fail(cause: unknown, code: "aborted" | "engine-unreachable" = "engine-unreachable"): void {
      cleanup();
      socket.destroy();
      const why = cause instanceof Error ? cause.message : String(cause);
      reject(
        new BuildKitError(code, code === "aborted" ? `connecting to ${where}: aborted` : `cannot connect to ${where}: ${why}`, {
          cause,
          address: address.raw,
        }),
      );
    }
    socket.once(readyEvent, onReady);
    socket.once("error", onError);
    if (options.signal?.aborted === true) {
      onAbort();
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function toPem(value: string | Uint8Array): string | Buffer {
  return typeof value === "string" ? value : Buffer.from(value);
}
