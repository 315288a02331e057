// Collects the ops a result needs into one `Definition`, as Go's `llb.State.Marshal` does: a post-order walk
// (inputs first), each digest once, then the terminal op. Metadata carries each op's caps and progress name.

import type { LLBDefinition, OpMetadataInit } from "../control-types.ts";
import type { FsState, Vertex } from "./ops.ts";
import { terminalOp } from "./ops.ts";

export interface CollectedDefinition {
  readonly definition: LLBDefinition;
  /** The digest of every entry of `definition.def`, in order (the terminal last). */
  readonly digests: readonly string[];
}

/**
 * The definition of `result`; a scratch result is a definition with no ops (send none). With `ignoreCache`
 * every op is built again (`OpMetadata.ignore_cache`).
 */
export function collectDefinition(result: FsState, options: { readonly ignoreCache?: boolean } = {}): CollectedDefinition {
  if (result === undefined) return { definition: { def: [], metadata: {} }, digests: [] };
  const ordered: Vertex[] = [];
  const seen = new Set<string>();
  // Iterative post-order DFS: deep graphs (hundreds of steps) must not overflow the stack.
  const stack: { vertex: Vertex; next: number }[] = [{ vertex: result.vertex, next: 0 }];
  seen.add(result.vertex.digest);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    const input = top.vertex.inputs[top.next];
    if (input === undefined) {
      ordered.push(top.vertex);
      stack.pop();
      continue;
    }
    top.next++;
    if (seen.has(input.digest)) continue;
    seen.add(input.digest);
    stack.push({ vertex: input, next: 0 });
  }
  ordered.push(terminalOp(result));

  const metadata: Record<string, OpMetadataInit> = {};
  const terminal = ordered.at(-1);
  for (const vertex of ordered) {
    const ignore = options.ignoreCache === true && vertex !== terminal;
    const caps: Record<string, boolean> = {};
    for (const cap of ignore ? [...vertex.caps, "meta.ignorecache"].sort() : vertex.caps) caps[cap] = true;
    metadata[vertex.digest] = {
      ...(ignore ? { ignoreCache: true } : {}),
      ...(vertex.name === undefined ? {} : { description: { "llb.customname": vertex.name } }),
      caps,
    };
  }
  return {
    definition: { def: ordered.map((vertex) => vertex.bytes), metadata },
    digests: ordered.map((vertex) => vertex.digest),
  };
}
