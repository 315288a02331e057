// The client side of a gateway build on `LLBBridge` (buildkit-gateway-proof.md): with `Control.Solve` pending under
// a ref (neither a definition nor a frontend), calls on the same connection with the gRPC metadata
// `buildkit-controlapi-buildid: <ref>` ask the engine things (Ping, ResolveImageConfig), solve a definition, and
// end the build with `Return`: the result with its image config, or the error. Nothing generated leaves this file.

import type { BuildKitClient } from "../client.ts";
import { engineConnection } from "../client.ts";
import { definitionMessage } from "../control-convert.ts";
import type { LLBDefinition, Platform } from "../control-types.ts";
import { BuildKitError } from "../errors.ts";
import { LLBBridge } from "../gen/moby/buildkit/v1/frontend/gateway_pb.ts";
import type { Result } from "../gen/moby/buildkit/v1/frontend/gateway_pb.ts";
import { toBuildKitError } from "../transport/rpc-error.ts";

const BUILD_ID_HEADER = "buildkit-controlapi-buildid";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** LLBBridge calls for the gateway build `ref`; every method throws `BuildKitError`. */
export class GatewayBridge {
  readonly #client: BuildKitClient;
  readonly #ref: string;
  readonly #signal: AbortSignal | undefined;
  #returned = false;

  constructor(client: BuildKitClient, ref: string, signal?: AbortSignal) {
    this.#client = client;
    this.#ref = ref;
    this.#signal = signal;
  }

  /** True once `Return` was sent (the build then ends on the engine). */
  get returned(): boolean {
    return this.#returned;
  }

  get #bridge() {
    return engineConnection(this.#client).client(LLBBridge);
  }

  get #options(): { headers: Record<string, string>; signal?: AbortSignal } {
    return { headers: { [BUILD_ID_HEADER]: this.#ref }, ...(this.#signal === undefined ? {} : { signal: this.#signal }) };
  }

  #error(error: unknown, what: string, failureCode?: "build-failed"): BuildKitError {
    const connection = engineConnection(this.#client);
    return toBuildKitError(error, {
      what,
      signal: this.#signal,
      lost: connection.h2.lostError,
      address: connection.display,
      ...(failureCode === undefined ? {} : { failureCode }),
    });
  }

  /** The engine's enabled LLB caps. */
  async llbCaps(): Promise<string[]> {
    try {
      const pong = await this.#bridge.ping({}, this.#options);
      return pong.llbCaps.filter((cap) => cap.enabled).map((cap) => cap.id);
    } catch (error) {
      throw this.#error(error, "LLBBridge.Ping");
    }
  }

  /** An image's config JSON and, when a registry served it, its manifest digest ("" from a local store). */
  async resolveImageConfig(reference: string, platform: Platform, logName: string): Promise<{ digest: string; config: unknown }> {
    try {
      const response = await this.#bridge.resolveImageConfig(
        {
          ref: reference,
          platform: { architecture: platform.architecture, os: platform.os, variant: platform.variant ?? "" },
          resolveMode: "default",
          logName,
        },
        this.#options,
      );
      return { digest: response.digest, config: JSON.parse(decoder.decode(response.config)) as unknown };
    } catch (error) {
      throw this.#error(error, `LLBBridge.ResolveImageConfig ${reference}`, "build-failed");
    }
  }

  /** Solves lazily (the engine builds during the export, after `Return`); gives the result to return. */
  async solve(definition: LLBDefinition): Promise<Result["result"]> {
    try {
      const response = await this.#bridge.solve(
        { definition: definitionMessage(definition), allowResultReturn: true, allowResultArrayRef: true },
        this.#options,
      );
      const result = response.result?.result;
      if (result?.case === undefined) throw new BuildKitError("rpc-failed", "LLBBridge.Solve returned no result");
      return result;
    } catch (error) {
      throw this.#error(error, "LLBBridge.Solve", "build-failed");
    }
  }

  /** Ends the build with `result` (a ref from `solve`, or none for an empty image) and its metadata. */
  async returnResult(result: Result["result"] | undefined, metadata: Readonly<Record<string, string>>): Promise<void> {
    const encoded: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(metadata)) encoded[key] = encoder.encode(value);
    this.#returned = true;
    try {
      await this.#bridge.return({ result: { result: result ?? { case: undefined }, metadata: encoded } }, this.#options);
    } catch (error) {
      throw this.#error(error, "LLBBridge.Return");
    }
  }

  /** Ends the build with an error: `Control.Solve` then fails with `message`. Never throws. */
  async returnError(message: string, code = 2): Promise<void> {
    if (this.#returned) return;
    this.#returned = true;
    try {
      await this.#bridge.return({ error: { code, message } }, this.#options);
    } catch {
      // The build is already gone (cancelled, connection lost): nothing left to end.
    }
  }
}
