import { TextDecoder } from "node:util";
import type { RawStatusResponse, RawVertex } from "../control-types.ts";
import type { ProgressEvent, VertexRef } from "./events.ts";

interface VertexState {
  ref: VertexRef;
  /** The `started` of the last vertex-started event. */
  startedEmitted: number | undefined;
  /** Identity of the last outcome event (completed, cached or errored), to drop re-sends. */
  outcomeEmitted: string | undefined;
  readonly decoders: Map<number, TextDecoder>;
}

const CANCELED = /(^|: )(context )?canceled$/;

/** `context canceled` and friends: the vertex stopped because the build was cancelled. */
export function isCancellation(error: string): boolean {
  return CANCELED.test(error);
}

/**
 * Turns the raw `Control.Status` messages of one build into typed events, following BuildKit's progress UI:
 * - vertices are numbered 1, 2, 3... in order of first appearance (in a vertex, status, log or warning);
 * - a re-sent vertex replaces what was known, but only a new `started` gives a new `vertex-started`, and only
 *   a new outcome (`completed`, `cached` or `error`) gives a new outcome event;
 * - an outcome is `vertex-errored` when `error` is set, else `vertex-cached` when `cached`, else
 *   `vertex-completed`;
 * - logs stay the chunks the engine sent (not line-aligned), decoded as UTF-8 per vertex and stream.
 * Pure and deterministic: the same messages give the same events.
 */
export class ProgressConverter {
  readonly #vertices = new Map<string, VertexState>();

  /** The events one Status message gives, in order: vertices, statuses, logs, warnings. */
  push(message: RawStatusResponse): ProgressEvent[] {
    const events: ProgressEvent[] = [];
    for (const vertex of message.vertexes) {
      this.#vertex(vertex, events);
    }
    for (const status of message.statuses) {
      events.push({
        kind: "status",
        vertex: this.#state(status.vertex).ref,
        id: status.id,
        name: status.name,
        current: status.current,
        total: status.total,
        completed: status.completed !== undefined,
        started: status.started,
        time: status.timestamp,
      });
    }
    for (const log of message.logs) {
      const state = this.#state(log.vertex);
      const stream = log.stream === 2 ? 2 : 1;
      let decoder = state.decoders.get(stream);
      if (decoder === undefined) {
        decoder = new TextDecoder("utf-8");
        state.decoders.set(stream, decoder);
      }
      const data = decoder.decode(log.data, { stream: true });
      if (data !== "") {
        events.push({ kind: "log", vertex: state.ref, stream, data, time: log.timestamp });
      }
    }
    for (const warning of message.warnings) {
      events.push({
        kind: "warning",
        vertex: this.#state(warning.vertex).ref,
        level: warning.level,
        message: warning.short,
        detail: warning.detail,
        url: warning.url === "" ? undefined : warning.url,
      });
    }
    return events;
  }

  /** The vertices seen so far, in index order. */
  vertices(): VertexRef[] {
    return [...this.#vertices.values()].map((state) => state.ref);
  }

  #state(digest: string): VertexState {
    let state = this.#vertices.get(digest);
    if (state === undefined) {
      state = {
        ref: { digest, index: this.#vertices.size + 1, name: "" },
        startedEmitted: undefined,
        outcomeEmitted: undefined,
        decoders: new Map(),
      };
      this.#vertices.set(digest, state);
    }
    return state;
  }

  #vertex(vertex: RawVertex, events: ProgressEvent[]): void {
    const state = this.#state(vertex.digest);
    if (vertex.name !== "" && vertex.name !== state.ref.name) {
      state.ref = { ...state.ref, name: vertex.name };
    }
    const ref = state.ref;
    if (vertex.started !== undefined && vertex.started !== state.startedEmitted) {
      state.startedEmitted = vertex.started;
      events.push({ kind: "vertex-started", vertex: ref, inputs: vertex.inputs, time: vertex.started });
    }
    const ended = vertex.completed !== undefined || vertex.error !== "" || vertex.cached;
    if (!ended) {
      return;
    }
    const outcome = `${vertex.completed ?? ""}|${vertex.cached ? "cached" : ""}|${vertex.error}`;
    if (outcome === state.outcomeEmitted) {
      return;
    }
    state.outcomeEmitted = outcome;
    const durationMs =
      vertex.started !== undefined && vertex.completed !== undefined ? Math.max(0, vertex.completed - vertex.started) : undefined;
    if (vertex.error !== "") {
      events.push({
        kind: "vertex-errored",
        vertex: ref,
        error: vertex.error,
        canceled: isCancellation(vertex.error),
        time: vertex.completed,
        durationMs,
      });
    } else if (vertex.cached) {
      events.push({ kind: "vertex-cached", vertex: ref, time: vertex.completed });
    } else if (vertex.completed !== undefined) {
      events.push({ kind: "vertex-completed", vertex: ref, time: vertex.completed, durationMs });
    }
  }
}

/** Converts a stream of raw Status messages into typed progress events. */
export async function* progressEvents(messages: AsyncIterable<RawStatusResponse>): AsyncGenerator<ProgressEvent, void, undefined> {
  const converter = new ProgressConverter();
  for await (const message of messages) {
    yield* converter.push(message);
  }
}
