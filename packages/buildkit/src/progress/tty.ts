import type { ProgressEvent, VertexRef } from "./events.ts";
import { StreamLines, formatSeconds } from "./format.ts";
import { SUMMARY_LINES, errorSummary } from "./renderer.ts";
import type { ProgressOutput, ProgressRenderer } from "./renderer.ts";

export interface TtyRendererOptions {
  /** The local clock, for the running times (tests pass a fake one). Default `Date.now`. */
  readonly now?: () => number;
  /** Redraw period in ms; 0 redraws after every event. Default 150. */
  readonly intervalMs?: number;
  /** Terminal width; default `output.columns` (read at every frame), else 80. */
  readonly columns?: number;
  /** Terminal height; default `output.rows`. The frame keeps its last `rows - 1` lines. */
  readonly rows?: number;
  /** ANSI colours (blue done, red errors, yellow cancelled, faint logs). Default true. */
  readonly color?: boolean;
}

type VertexState = "running" | "done" | "cached" | "error" | "canceled";

interface TtyStatus {
  current: number;
  total: number;
  completed: boolean;
  durationMs: number | undefined;
}

interface TtyVertex {
  ref: VertexRef;
  state: VertexState | undefined;
  localStart: number | undefined;
  durationMs: number | undefined;
  readonly statuses: Map<string, TtyStatus>;
  readonly lines: StreamLines;
  readonly recent: string[];
  readonly tail: string[];
}

const LOG_LINES = 6;
const CSI = "\u001b[";
const COLORS: Readonly<Record<VertexState, string>> = {
  running: "",
  done: `${CSI}34m`,
  cached: `${CSI}34m`,
  error: `${CSI}31m`,
  canceled: `${CSI}33m`,
};
const FAINT = `${CSI}2m`;
const RESET = `${CSI}0m`;

/**
 * A redrawing view like buildx's: `[+] Building 12.3s (done/total)` (` FINISHED` at the end), one line per
 * vertex with its time right-aligned, its statuses as ` => => …`, and the last 6 log lines of running vertices,
 * faint, as ` => => # …`. After a failure, the errored vertices' last lines follow between `------` rules.
 */
export class TtyRenderer implements ProgressRenderer {
  readonly #out: ProgressOutput;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #fixedColumns: number | undefined;
  readonly #fixedRows: number | undefined;
  readonly #color: boolean;
  readonly #vertices = new Map<string, TtyVertex>();
  readonly #startedAt: number;
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(output: ProgressOutput, options: TtyRendererOptions = {}) {
    this.#out = output;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? 150;
    this.#fixedColumns = options.columns;
    this.#fixedRows = options.rows;
    this.#color = options.color ?? true;
    this.#startedAt = this.#now();
  }

  handle(event: ProgressEvent): void {
    if (this.#ended) {
      return;
    }
    const vertex = this.#vertex(event.vertex);
    switch (event.kind) {
      case "vertex-started":
        vertex.state = "running";
        vertex.localStart = this.#now();
        vertex.durationMs = undefined;
        break;
      case "vertex-completed":
        vertex.state = "done";
        vertex.durationMs = event.durationMs ?? 0;
        break;
      case "vertex-cached":
        vertex.state = "cached";
        vertex.durationMs = 0;
        break;
      case "vertex-errored":
        vertex.state = event.canceled ? "canceled" : "error";
        vertex.durationMs = event.durationMs ?? (vertex.localStart === undefined ? 0 : this.#now() - vertex.localStart);
        break;
      case "status":
        vertex.statuses.set(event.id, {
          current: event.current,
          total: event.total,
          completed: event.completed,
          durationMs: event.started !== undefined && event.time !== undefined ? event.time - event.started : undefined,
        });
        break;
      case "log":
        for (const line of vertex.lines.push(event.stream, event.data)) {
          this.#remember(vertex, line);
        }
        break;
      case "warning":
        this.#remember(vertex, `WARNING: ${event.message}`);
        break;
    }
    this.#schedule();
  }

  end(): void {
    if (this.#ended) {
      return;
    }
    this.#ended = true;
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    for (const vertex of this.#vertices.values()) {
      for (const line of vertex.lines.flush()) {
        this.#remember(vertex, line);
      }
    }
    this.#draw(true);
    const failed = [...this.#vertices.values()].filter((v) => v.state === "error");
    if (failed.length > 0) {
      this.#out.write(errorSummary(failed.map((v) => ({ name: v.ref.name, lines: v.tail }))));
    }
  }

  /** The frame as it would be drawn now, without escape sequences (for tests and logs). */
  frame(finished = false): string[] {
    return this.#frame(finished, false);
  }

  /** The terminal's size now (it may have been resized since the last frame). */
  get #columns(): number {
    return Math.max(20, this.#fixedColumns ?? this.#out.columns ?? 80);
  }

  get #rows(): number | undefined {
    return this.#fixedRows ?? this.#out.rows;
  }

  #vertex(ref: VertexRef): TtyVertex {
    let vertex = this.#vertices.get(ref.digest);
    if (vertex === undefined) {
      vertex = {
        ref,
        state: undefined,
        localStart: undefined,
        durationMs: undefined,
        statuses: new Map(),
        lines: new StreamLines(),
        recent: [],
        tail: [],
      };
      this.#vertices.set(ref.digest, vertex);
    }
    vertex.ref = ref;
    return vertex;
  }

  #remember(vertex: TtyVertex, line: string): void {
    vertex.recent.push(line);
    if (vertex.recent.length > LOG_LINES) {
      vertex.recent.shift();
    }
    vertex.tail.push(line);
    if (vertex.tail.length > SUMMARY_LINES) {
      vertex.tail.shift();
    }
  }

  #schedule(): void {
    if (this.#intervalMs <= 0) {
      this.#draw(false);
      return;
    }
    if (this.#timer === undefined) {
      this.#draw(false);
      this.#timer = setInterval(() => {
        this.#draw(false);
      }, this.#intervalMs);
      this.#timer.unref();
    }
  }

  #draw(finished: boolean): void {
    const lines = this.#frame(finished, this.#color);
    let text = this.#drawn > 0 ? `${CSI}${this.#drawn}A` : "";
    for (const line of lines) {
      text += `${CSI}2K${line}\n`;
    }
    text += `${CSI}0J`;
    this.#drawn = lines.length;
    this.#out.write(text);
  }

  #frame(finished: boolean, color: boolean): string[] {
    const now = this.#now();
    const shown = [...this.#vertices.values()].filter((v) => v.state !== undefined);
    const done = shown.filter((v) => v.state !== "running").length;
    const header = `[+] Building ${formatSeconds(now - this.#startedAt)} (${done}/${shown.length})${finished ? " FINISHED" : ""}`;
    const body: string[] = [];
    for (const vertex of shown) {
      const state = vertex.state ?? "running";
      const label = state === "cached" ? "CACHED " : state === "error" ? "ERROR " : state === "canceled" ? "CANCELED " : "";
      const elapsed = vertex.durationMs ?? (vertex.localStart === undefined ? 0 : now - vertex.localStart);
      body.push(this.#paint(this.#aligned(` => ${label}${vertex.ref.name}`, formatSeconds(elapsed)), color ? COLORS[state] : ""));
      for (const [id, status] of vertex.statuses) {
        const amount = status.total > 0 ? ` ${status.current} / ${status.total}` : status.current > 0 ? ` ${status.current}` : "";
        const time = status.durationMs === undefined ? "" : formatSeconds(status.durationMs);
        body.push(this.#paint(this.#aligned(` => => ${id}${amount}`, time), color ? COLORS[state] : ""));
      }
      if (state === "running") {
        for (const line of vertex.recent) {
          body.push(this.#paint(this.#fit(` => => # ${printable(line)}`), color ? FAINT : ""));
        }
      }
    }
    const room = this.#rows === undefined ? body.length : Math.max(1, this.#rows - 2);
    return [header, ...body.slice(Math.max(0, body.length - room))];
  }

  #aligned(left: string, right: string): string {
    const width = this.#columns - 1;
    const space = width - right.length - 1;
    const text = left.length > space ? `${left.slice(0, Math.max(0, space - 1))}…` : left;
    return right === "" ? text : `${text.padEnd(space)} ${right}`;
  }

  #fit(text: string): string {
    const width = this.#columns - 1;
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }

  #paint(text: string, code: string): string {
    return code === "" ? text : `${code}${text}${RESET}`;
  }
}

/** A log line made safe to draw: tabs become spaces, other control characters go. */
function printable(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replaceAll("\t", "  ").replace(/[\u0000-\u001f\u007f]/g, "");
}
