import type { ProgressEvent } from "./events.ts";
import type { ProgressOutput, ProgressRenderer } from "./renderer.ts";

/** One JSON object per event and line: the event exactly as typed (`kind`, `vertex`, ...). */
export class JsonRenderer implements ProgressRenderer {
  readonly #out: ProgressOutput;

  constructor(output: ProgressOutput) {
    this.#out = output;
  }

  handle(event: ProgressEvent): void {
    this.#out.write(`${JSON.stringify(event)}\n`);
  }

  end(): void {
    // Every event was written as it came.
  }
}
