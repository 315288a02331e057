// Where `build()` sends progress: a callback, or one of the renderers.

import type { ProgressEvent } from "../progress/events.ts";
import { createProgressRenderer } from "../progress/render.ts";
import type { ProgressOption } from "./options.ts";

/** Feeds every event to the option's target; resolves when the stream ends, rejects if the callback threw. */
export async function pumpProgress(events: AsyncIterable<ProgressEvent>, option: ProgressOption | undefined): Promise<void> {
  if (option === undefined) {
    for await (const _event of events) {
      // Drained: nobody asked for progress.
    }
    return;
  }
  if (typeof option === "function") {
    let thrown: { error: unknown } | undefined;
    for await (const event of events) {
      if (thrown !== undefined) continue;
      try {
        option(event);
      } catch (error) {
        thrown = { error };
      }
    }
    if (thrown !== undefined) throw thrown.error;
    return;
  }
  const renderer = typeof option === "string" ? createProgressRenderer(option, process.stderr) : createProgressRenderer(option.mode, option.output);
  try {
    for await (const event of events) renderer.handle(event);
  } finally {
    renderer.end();
  }
}
