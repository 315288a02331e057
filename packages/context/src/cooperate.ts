// Gives the event loop a turn during long synchronous work (the walk, hashing, packing: see read.ts).

/** How long synchronous work may run before the event loop gets a turn. */
const SLICE_MS = 8;
let sliceStart = performance.now();

/** Yields to the event loop (a `setImmediate` turn) when synchronous work has run for a few milliseconds. */
export async function cooperate(): Promise<void> {
  const now = performance.now();
  if (now - sliceStart < SLICE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}
