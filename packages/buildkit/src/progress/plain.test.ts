import { expect, test } from "vitest";
import type { ProgressEvent, VertexRef } from "./events.ts";
import { PlainRenderer } from "./plain.ts";

const T = 1_700_000_000_000;
const a: VertexRef = { digest: "sha256:a", index: 1, name: "[1/2] FROM busybox" };
const b: VertexRef = { digest: "sha256:b", index: 2, name: "[2/2] RUN make" };

function render(events: readonly ProgressEvent[]): string {
  let text = "";
  const renderer = new PlainRenderer({ write: (chunk: string) => (text += chunk) });
  for (const event of events) renderer.handle(event);
  renderer.end();
  return text;
}

test("switching vertices prints a header, and `#N ...` for an unfinished one left behind", () => {
  const text = render([
    { kind: "vertex-started", vertex: a, inputs: [], time: T },
    { kind: "vertex-started", vertex: b, inputs: [], time: T + 10 },
    { kind: "log", vertex: b, stream: 1, data: "compiling\nhalf a li", time: T + 1234 },
    { kind: "vertex-cached", vertex: a, time: T + 20 },
    { kind: "log", vertex: b, stream: 1, data: "ne\n", time: T + 12_345 },
    { kind: "log", vertex: b, stream: 2, data: "no newline", time: T + 123_456 },
    { kind: "vertex-completed", vertex: b, time: T + 200_010, durationMs: 200_000 },
  ]);
  expect(text).toBe(
    [
      "#1 [1/2] FROM busybox",
      "#1 ...",
      "",
      "#2 [2/2] RUN make",
      "#2 1.224 compiling",
      "#2 ...",
      "",
      "#1 [1/2] FROM busybox",
      "#1 CACHED",
      "",
      "#2 [2/2] RUN make",
      "#2 12.34 half a line",
      // A partial last line is printed when the vertex ends, with that time.
      "#2 200.0 no newline",
      "#2 DONE 200.0s",
      "",
    ].join("\n"),
  );
});

test("status lines are throttled to 5 % steps or 5 s, and printed once when done", () => {
  const status = (current: number, at: number, done = false): ProgressEvent => ({
    kind: "status",
    vertex: a,
    id: "transferring context",
    name: "",
    current,
    total: 1_000_000,
    completed: done,
    started: T,
    time: T + at,
  });
  const text = render([
    { kind: "vertex-started", vertex: a, inputs: [], time: T },
    status(10_000, 100),
    status(20_000, 200),
    status(80_000, 300),
    status(90_000, 6000),
    status(1_000_000, 6100, true),
    status(1_000_000, 6200, true),
    { kind: "vertex-completed", vertex: a, time: T + 6300, durationMs: 6300 },
  ]);
  expect(text).toBe(
    [
      "#1 [1/2] FROM busybox",
      "#1 transferring context 10.00kB / 1.00MB 0.1s",
      "#1 transferring context 80.00kB / 1.00MB 0.3s",
      "#1 transferring context 90.00kB / 1.00MB 6.0s",
      "#1 transferring context 1.00MB / 1.00MB 6.1s done",
      "#1 DONE 6.3s",
      "",
    ].join("\n"),
  );
});

test("an error prints ERROR and, at the end, the summary of the vertex's last lines; a cancel prints CANCELED", () => {
  const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}\n`).join("");
  const text = render([
    { kind: "vertex-started", vertex: b, inputs: [], time: T },
    { kind: "log", vertex: b, stream: 1, data: lines, time: T + 500 },
    { kind: "vertex-errored", vertex: b, error: "exit code: 2", canceled: false, time: T + 600, durationMs: 600 },
    { kind: "vertex-started", vertex: a, inputs: [], time: T },
    { kind: "vertex-errored", vertex: a, error: "context canceled", canceled: true, time: T + 700, durationMs: 700 },
    { kind: "warning", vertex: a, level: 1, message: "something odd", detail: [], url: undefined },
  ]);
  expect(text).toContain("#2 ERROR: exit code: 2\n\n#1 [1/2] FROM busybox\n#1 CANCELED\n#1 WARNING: something odd\n");
  expect(text.endsWith(["------", " > [2/2] RUN make:", ...Array.from({ length: 10 }, (_, i) => `0.500 line ${i + 3}`), "------", ""].join("\n"))).toBe(true);
});
