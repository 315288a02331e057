import { describe, expect, test } from "vitest";
import type { RawStatusResponse, RawVertex } from "../control-types.ts";
import { ProgressConverter, isCancellation } from "./convert.ts";

const T = 1_700_000_000_000;

function vertex(digest: string, fields: Partial<RawVertex> = {}): RawVertex {
  return { digest, inputs: [], name: digest.toUpperCase(), cached: false, started: undefined, completed: undefined, error: "", ...fields };
}

function message(fields: Partial<RawStatusResponse>): RawStatusResponse {
  return { vertexes: [], statuses: [], logs: [], warnings: [], ...fields };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("ProgressConverter", () => {
  test("numbers vertices by first appearance, also when a log or status names them first", () => {
    const c = new ProgressConverter();
    c.push(message({ logs: [{ vertex: "x", timestamp: T, stream: 1, data: bytes("hi\n") }] }));
    c.push(message({ vertexes: [vertex("a"), vertex("x", { started: T })] }));
    c.push(message({ statuses: [{ id: "s", vertex: "b", name: "", current: 1, total: 2, timestamp: T, started: T, completed: undefined }] }));
    expect(c.vertices().map((v) => [v.digest, v.index])).toEqual([
      ["x", 1],
      ["a", 2],
      ["b", 3],
    ]);
  });

  test("a re-sent vertex gives no new events; only a new start or a new outcome does", () => {
    const c = new ProgressConverter();
    const started = vertex("a", { started: T });
    const done = vertex("a", { started: T, completed: T + 1500 });
    expect(c.push(message({ vertexes: [vertex("a")] }))).toEqual([]);
    expect(c.push(message({ vertexes: [started] })).map((e) => e.kind)).toEqual(["vertex-started"]);
    expect(c.push(message({ vertexes: [started] }))).toEqual([]);
    // A re-send without `started` does not reset the vertex.
    expect(c.push(message({ vertexes: [vertex("a")] }))).toEqual([]);
    expect(c.push(message({ vertexes: [done] }))).toEqual([
      { kind: "vertex-completed", vertex: { digest: "a", index: 1, name: "A" }, time: T + 1500, durationMs: 1500 },
    ]);
    expect(c.push(message({ vertexes: [done] }))).toEqual([]);
    // BuildKit 0.13 resolves an image source twice: a second start and a cached outcome.
    const again = vertex("a", { started: T + 2000, completed: T + 2001, cached: true });
    expect(c.push(message({ vertexes: [again] })).map((e) => e.kind)).toEqual(["vertex-started", "vertex-cached"]);
  });

  test("an error wins over cached; `context canceled` marks a cancellation", () => {
    const c = new ProgressConverter();
    const [failed] = c.push(message({ vertexes: [vertex("a", { completed: T, cached: true, error: "exit code: 1" })] }));
    expect(failed).toMatchObject({ kind: "vertex-errored", error: "exit code: 1", canceled: false, durationMs: undefined });
    const canceled = c
      .push(message({ vertexes: [vertex("b", { started: T, completed: T + 10, error: "exit code: 137: context canceled: context canceled" })] }))
      .at(-1);
    expect(canceled).toMatchObject({ kind: "vertex-errored", canceled: true });
  });

  test("a name given later renames the vertex in later events", () => {
    const c = new ProgressConverter();
    c.push(message({ vertexes: [vertex("a", { name: "" })] }));
    const [started] = c.push(message({ vertexes: [vertex("a", { name: "[1/2] RUN make", started: T })] }));
    expect(started?.vertex).toEqual({ digest: "a", index: 1, name: "[1/2] RUN make" });
  });

  test("log chunks are decoded per vertex and stream; a character cut between chunks is joined", () => {
    const c = new ProgressConverter();
    const e9 = bytes("é");
    const events = [
      ...c.push(message({ logs: [{ vertex: "a", timestamp: T, stream: 1, data: Uint8Array.of(0x63, 0x61, 0x66, e9[0] ?? 0) }] })),
      ...c.push(message({ logs: [{ vertex: "a", timestamp: T, stream: 2, data: bytes("err") }] })),
      ...c.push(message({ logs: [{ vertex: "a", timestamp: T + 1, stream: 1, data: Uint8Array.of(e9[1] ?? 0, 0x0a) }] })),
    ];
    expect(events.map((e) => (e.kind === "log" ? [e.stream, e.data] : e.kind))).toEqual([
      [1, "caf"],
      [2, "err"],
      [1, "é\n"],
    ]);
  });

  test("statuses and warnings become events with their vertex", () => {
    const c = new ProgressConverter();
    const events = c.push(
      message({
        statuses: [{ id: "writing image", vertex: "a", name: "", current: 5, total: 10, timestamp: T + 5, started: T, completed: T + 5 }],
        warnings: [{ vertex: "a", level: 1, short: "FromAsCasing", detail: ["use AS"], url: "" }],
      }),
    );
    expect(events).toEqual([
      {
        kind: "status",
        vertex: { digest: "a", index: 1, name: "" },
        id: "writing image",
        name: "",
        current: 5,
        total: 10,
        completed: true,
        started: T,
        time: T + 5,
      },
      { kind: "warning", vertex: { digest: "a", index: 1, name: "" }, level: 1, message: "FromAsCasing", detail: ["use AS"], url: undefined },
    ]);
  });
});

test("isCancellation", () => {
  expect(isCancellation("context canceled")).toBe(true);
  expect(isCancellation("process did not complete successfully: exit code: 137: context canceled: context canceled")).toBe(true);
  expect(isCancellation("canceled")).toBe(true);
  expect(isCancellation("exit code: 1")).toBe(false);
  expect(isCancellation("the operation was canceled by the user and then failed")).toBe(false);
});
