// Small formatting helpers shared by the renderers.

/** Seconds since a vertex started, as `--progress=plain` shows them before a log line: 3, 2 or 1 decimals. */
export function formatLogTime(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return seconds < 10 ? seconds.toFixed(3) : seconds < 100 ? seconds.toFixed(2) : seconds.toFixed(1);
}

/** `0.3s`, `12.0s`. */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** Decimal units like the Docker CLI: `512B`, `1.24kB`, `32.51MB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value}${units[0] ?? "B"}` : `${value.toFixed(2)}${units[unit] ?? ""}`;
}

/** Splits a stream of chunks into lines; a partial last line waits for the next chunk or `flush`. */
export class LineSplitter {
  #partial = "";

  /** The complete lines in `chunk` (with what was pending), without their `\n`. */
  push(chunk: string): string[] {
    const parts = (this.#partial + chunk).split("\n");
    this.#partial = parts.pop() ?? "";
    return parts.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  }

  /** The pending partial line, if any. */
  flush(): string[] {
    const rest = this.#partial;
    this.#partial = "";
    return rest === "" ? [] : [rest];
  }
}

/** Line splitting per output stream (stdout and stderr interleave freely; a line never mixes them). */
export class StreamLines {
  readonly #streams = new Map<number, LineSplitter>();

  push(stream: number, chunk: string): string[] {
    let splitter = this.#streams.get(stream);
    if (splitter === undefined) {
      splitter = new LineSplitter();
      this.#streams.set(stream, splitter);
    }
    return splitter.push(chunk);
  }

  /** Every pending partial line, stdout's first. */
  flush(): string[] {
    return [...this.#streams.entries()].sort(([a], [b]) => a - b).flatMap(([, splitter]) => splitter.flush());
  }
}
