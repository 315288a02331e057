import type { ProgressEvent, VertexRef } from "./events.ts";
import { StreamLines, formatBytes, formatLogTime, formatSeconds } from "./format.ts";
import { SUMMARY_LINES, errorSummary } from "./renderer.ts";
import type { ProgressOutput, ProgressRenderer } from "./renderer.ts";

interface PlainVertex {
  ref: VertexRef;
  started: number | undefined;
  done: boolean;
  failed: boolean;
  readonly lines: StreamLines;
  /** The last lines with their time prefix, for the failure summary. */
  readonly tail: string[];
  readonly statuses: Map<string, { current: number; time: number; completed: boolean }>;
}

/** A status line is printed again only after this share of its total, or this long, or when it completes. */
const STATUS_STEP = 0.05;
const STATUS_INTERVAL_MS = 5000;

/**
 * Plain lines like `docker buildx build --progress=plain`: `#N name` when output switches to a vertex, log
 * lines as `#N <seconds since start> <text>`, `#N DONE 0.3s` / `#N CACHED` / `#N ERROR: …` / `#N CANCELED`,
 * status lines as `#N <id> <current> / <total> <time> done`, and after a failure the errored vertices' last
 * lines between `------` rules. Every time comes from the engine's timestamps: the output is deterministic.
 */
export class PlainRenderer implements ProgressRenderer {
  readonly #out: ProgressOutput;
  readonly #vertices = new Map<string, PlainVertex>();
  #current: PlainVertex | undefined;
  #printed = false;

  constructor(output: ProgressOutput) {
    this.#out = output;
  }

  handle(event: ProgressEvent): void {
    const vertex = this.#vertex(event.vertex);
    switch (event.kind) {
      case "vertex-started":
        vertex.started = event.time;
        vertex.done = false;
        this.#switchTo(vertex);
        return;
      case "log": {
        const lines = vertex.lines.push(event.stream, event.data);
        if (lines.length > 0) {
          this.#switchTo(vertex);
          this.#logLines(vertex, lines, event.time);
        }
        return;
      }
      case "status":
        this.#status(vertex, event);
        return;
      case "warning":
        this.#switchTo(vertex);
        this.#line(`#${vertex.ref.index} WARNING: ${event.message}`);
        return;
      case "vertex-completed":
        this.#end(vertex, `DONE ${formatSeconds(event.durationMs ?? 0)}`, event.time);
        return;
      case "vertex-cached":
        this.#end(vertex, "CACHED", event.time);
        return;
      case "vertex-errored":
        vertex.failed = !event.canceled;
        this.#end(vertex, event.canceled ? "CANCELED" : `ERROR: ${event.error}`, event.time);
        return;
    }
  }

  end(): void {
    for (const vertex of this.#vertices.values()) {
      const rest = vertex.lines.flush();
      if (rest.length > 0) {
        this.#switchTo(vertex);
        this.#logLines(vertex, rest, undefined);
      }
    }
    const failed = [...this.#vertices.values()].filter((v) => v.failed);
    if (failed.length > 0) {
      this.#out.write(`\n${errorSummary(failed.map((v) => ({ name: v.ref.name, lines: v.tail })))}`);
    }
  }

  #vertex(ref: VertexRef): PlainVertex {
    let vertex = this.#vertices.get(ref.digest);
    if (vertex === undefined) {
      vertex = { ref, started: undefined, done: false, failed: false, lines: new StreamLines(), tail: [], statuses: new Map() };
      this.#vertices.set(ref.digest, vertex);
    }
    vertex.ref = ref;
    return vertex;
  }

  #switchTo(vertex: PlainVertex): void {
    if (this.#current === vertex) {
      return;
    }
    const previous = this.#current;
    if (previous !== undefined && !previous.done) {
      this.#line(`#${previous.ref.index} ...`);
    }
    if (this.#printed) {
      this.#out.write("\n");
    }
    this.#current = vertex;
    this.#line(`#${vertex.ref.index} ${vertex.ref.name}`);
  }

  #logLines(vertex: PlainVertex, lines: readonly string[], time: number | undefined): void {
    const offset = time !== undefined && vertex.started !== undefined ? time - vertex.started : 0;
    for (const text of lines) {
      const line = `${formatLogTime(offset)} ${text}`;
      vertex.tail.push(line);
      if (vertex.tail.length > SUMMARY_LINES) {
        vertex.tail.shift();
      }
      this.#line(`#${vertex.ref.index} ${line}`);
    }
  }

  #status(vertex: PlainVertex, event: Extract<ProgressEvent, { kind: "status" }>): void {
    const time = event.time ?? 0;
    const last = vertex.statuses.get(event.id);
    if (last?.completed === true) {
      return;
    }
    if (last !== undefined && !event.completed) {
      const progressed = event.total > 0 && (event.current - last.current) / event.total >= STATUS_STEP;
      if (!progressed && time - last.time < STATUS_INTERVAL_MS) {
        return;
      }
    }
    vertex.statuses.set(event.id, { current: event.current, time, completed: event.completed });
    this.#switchTo(vertex);
    const amount =
      event.total > 0 ? ` ${formatBytes(event.current)} / ${formatBytes(event.total)}` : event.current > 0 ? ` ${formatBytes(event.current)}` : "";
    const elapsed = event.started !== undefined && event.time !== undefined ? ` ${formatSeconds(event.time - event.started)}` : "";
    this.#line(`#${vertex.ref.index} ${event.id}${amount}${elapsed}${event.completed ? " done" : ""}`);
  }

  #end(vertex: PlainVertex, outcome: string, time: number | undefined): void {
    const rest = vertex.lines.flush();
    this.#switchTo(vertex);
    if (rest.length > 0) {
      this.#logLines(vertex, rest, time);
    }
    vertex.done = true;
    this.#line(`#${vertex.ref.index} ${outcome}`);
  }

  #line(text: string): void {
    this.#printed = true;
    this.#out.write(`${text}\n`);
  }
}
