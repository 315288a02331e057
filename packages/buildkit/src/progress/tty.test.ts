import { expect, test } from "vitest";
import type { ProgressEvent, VertexRef } from "./events.ts";
import { TtyRenderer } from "./tty.ts";

const T = 1_700_000_000_000;
const a: VertexRef = { digest: "sha256:a", index: 1, name: "[1/2] FROM docker.io/local/busybox:latest" };
const b: VertexRef = { digest: "sha256:b", index: 2, name: "[2/2] RUN make" };

function setup(columns = 60) {
  let clock = 0;
  let written = "";
  const renderer = new TtyRenderer(
    { write: (chunk: string) => (written += chunk), isTTY: true, columns },
    { now: () => clock, intervalMs: 0 },
  );
  return {
    renderer,
    advance: (ms: number) => (clock += ms),
    written: () => written,
  };
}

test("one line per vertex with its time right-aligned, statuses, and the last 6 log lines of running vertices", () => {
  const { renderer, advance } = setup();
  const events: ProgressEvent[] = [
    { kind: "vertex-started", vertex: a, inputs: [], time: T },
    { kind: "vertex-cached", vertex: a, time: T },
    { kind: "vertex-started", vertex: b, inputs: [], time: T },
    { kind: "log", vertex: b, stream: 1, data: Array.from({ length: 8 }, (_, i) => `step ${i + 1}\n`).join(""), time: T },
    { kind: "status", vertex: b, id: "downloading", name: "", current: 5, total: 10, completed: false, started: T, time: T + 300 },
  ];
  for (const event of events) renderer.handle(event);
  advance(2500);
  expect(renderer.frame()).toEqual([
    "[+] Building 2.5s (1/2)",
    " => CACHED [1/2] FROM docker.io/local/busybox:latest   0.0s",
    " => [2/2] RUN make                                     2.5s",
    " => => downloading 5 / 10                              0.3s",
    " => => # step 3",
    " => => # step 4",
    " => => # step 5",
    " => => # step 6",
    " => => # step 7",
    " => => # step 8",
  ]);
  renderer.handle({ kind: "vertex-completed", vertex: b, time: T + 3000, durationMs: 3000 });
  expect(renderer.frame(true)).toEqual([
    "[+] Building 2.5s (2/2) FINISHED",
    " => CACHED [1/2] FROM docker.io/local/busybox:latest   0.0s",
    " => [2/2] RUN make                                     3.0s",
    " => => downloading 5 / 10                              0.3s",
  ]);
});

test("redraws in place with colours, and ends with FINISHED and the failure summary", () => {
  const { renderer, written } = setup(40);
  renderer.handle({ kind: "vertex-started", vertex: b, inputs: [], time: T });
  renderer.handle({ kind: "log", vertex: b, stream: 2, data: "boom\tnow\n", time: T });
  renderer.handle({ kind: "vertex-errored", vertex: b, error: "exit code: 1", canceled: false, time: T + 100, durationMs: 100 });
  renderer.end();
  const text = written();
  // The second frame moves the cursor back over the first one's lines.
  expect(text).toContain("\u001b[3A");
  expect(text).toContain("\u001b[2m => => # boom  now\u001b[0m");
  expect(text).toContain(`\u001b[31m${" => ERROR [2/2] RUN make".padEnd(34)} 0.1s\u001b[0m`);
  expect(text).toContain("[+] Building 0.0s (1/1) FINISHED");
  expect(text.endsWith("------\n > [2/2] RUN make:\nboom\tnow\n------\n")).toBe(true);
});

test("long names are cut to the terminal width", () => {
  const { renderer } = setup(30);
  renderer.handle({ kind: "vertex-started", vertex: { ...b, name: "a very long step name that does not fit" }, inputs: [], time: T });
  const [, line] = renderer.frame();
  expect(line).toBe(" => a very long step na… 0.0s");
  expect(line?.length).toBe(29);
});
