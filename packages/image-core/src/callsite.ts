// Where a builder method was called from: the first stack frame outside this package's own module.

import type { SourceLocation } from "./errors.ts";

const FRAME = /\(?((?:file:\/\/|\/|[A-Za-z]:[\\/]|node:)[^()]*?):(\d+):(\d+)\)?\s*$/;

let ownFile: string | undefined;

function parseFrames(stack: string): SourceLocation[] {
  const frames: SourceLocation[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    let file = match[1] ?? "";
    if (file.startsWith("file://")) file = decodeURIComponent(file.slice("file://".length));
    frames.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/**
 * The caller's location: skips the frames of the module that defines the builder (found once, as the file
 * of the frame that called this function), and of Node's internals.
 */
export function callerLocation(): SourceLocation | undefined {
  const stack = new Error("callsite").stack;
  if (stack === undefined) return undefined;
  const frames = parseFrames(stack);
  // frames[0] is this function; frames[1] is the builder module that asked.
  ownFile ??= frames[1]?.file;
  const here = frames[0]?.file;
  return frames.find((frame) => frame.file !== here && frame.file !== ownFile && !frame.file.startsWith("node:"));
}
