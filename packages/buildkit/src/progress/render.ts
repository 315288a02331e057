import type { ProgressEvent } from "./events.ts";
import { JsonRenderer } from "./json.ts";
import { PlainRenderer } from "./plain.ts";
import type { ProgressOutput, ProgressRenderer } from "./renderer.ts";
import { TtyRenderer } from "./tty.ts";
import type { TtyRendererOptions } from "./tty.ts";

/** `auto` is `tty` when the output is a terminal, `plain` otherwise. */
export type ProgressMode = "auto" | "tty" | "plain" | "json";

export type ProgressRendererOptions = TtyRendererOptions;

/** A renderer for the mode: feed it events with `handle`, then call `end`. */
export function createProgressRenderer(
  mode: ProgressMode,
  output: ProgressOutput,
  options: ProgressRendererOptions = {},
): ProgressRenderer {
  const resolved = mode === "auto" ? (output.isTTY === true ? "tty" : "plain") : mode;
  switch (resolved) {
    case "tty":
      return new TtyRenderer(output, options);
    case "plain":
      return new PlainRenderer(output);
    case "json":
      return new JsonRenderer(output);
  }
}

/** Renders a whole event stream; resolves when it ends (after the renderer's last frame and summary). */
export async function renderProgress(
  events: AsyncIterable<ProgressEvent>,
  output: ProgressOutput,
  options: ProgressRendererOptions & { readonly mode?: ProgressMode } = {},
): Promise<void> {
  const renderer = createProgressRenderer(options.mode ?? "auto", output, options);
  try {
    for await (const event of events) {
      renderer.handle(event);
    }
  } finally {
    renderer.end();
  }
}
