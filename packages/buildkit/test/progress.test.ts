// Golden tests on real Control.Status streams recorded from engines A and B (test/fixtures/status/, made by
// `pnpm record-fixtures`): the conversion to typed events and the plain and JSON renderings. `vitest run -u`
// rewrites the golden renderings; review the diff.
import { describe, expect, test } from "vitest";
import { ProgressConverter, createProgressRenderer, progressEvents, renderProgress } from "../src/index.ts";
import type { ProgressEvent } from "../src/index.ts";
import { loadStatusFixture, replay, statusFixtureNames } from "./support/status-fixtures.ts";

function convert(name: string): ProgressEvent[] {
  const converter = new ProgressConverter();
  return loadStatusFixture(name).messages.flatMap((message) => converter.push(message));
}

function render(mode: "plain" | "json", events: readonly ProgressEvent[]): string {
  let text = "";
  const renderer = createProgressRenderer(mode, { write: (chunk: string) => (text += chunk) });
  for (const event of events) renderer.handle(event);
  renderer.end();
  return text;
}

function output(events: readonly ProgressEvent[], vertexName: string, stream: 1 | 2): string {
  return events
    .filter((e): e is Extract<ProgressEvent, { kind: "log" }> => e.kind === "log" && e.vertex.name === vertexName && e.stream === stream)
    .map((e) => e.data)
    .join("");
}

const names = statusFixtureNames();

test("there are recordings from both engines", () => {
  expect(names).toEqual(["a-chunks", "a-echo", "a-echo-cached", "a-fail", "b-chunks", "b-echo", "b-echo-cached", "b-fail"]);
});

describe.each(names)("%s", (name) => {
  const fixture = loadStatusFixture(name);
  const events = convert(name);

  test("renders to the golden plain lines and JSON events", async () => {
    await expect(render("plain", events)).toMatchFileSnapshot(`golden/progress/${name}.plain.txt`);
    await expect(render("json", events)).toMatchFileSnapshot(`golden/progress/${name}.jsonl`);
  });

  test("converts deterministically, and the async stream gives the same events", async () => {
    expect(convert(name)).toEqual(events);
    const streamed: ProgressEvent[] = [];
    for await (const event of progressEvents(replay(fixture.messages))) streamed.push(event);
    expect(streamed).toEqual(events);
  });

  test("numbers vertices 1, 2, 3 in order of first appearance; every started vertex ends once per start", () => {
    const indexes = [...new Set(events.map((e) => e.vertex.index))].sort((a, b) => a - b);
    expect(indexes).toEqual(indexes.map((_, i) => i + 1));
    const starts = events.filter((e) => e.kind === "vertex-started").length;
    const ends = events.filter((e) => e.kind === "vertex-completed" || e.kind === "vertex-cached" || e.kind === "vertex-errored").length;
    expect(ends).toBe(starts);
  });

  test("the export is reported when the build succeeds", () => {
    const exported = events.some((e) => e.kind === "vertex-completed" && e.vertex.name === "exporting to image");
    expect(exported).toBe(fixture.outcome.ok);
  });
});

describe("what the recordings show", () => {
  test.each(["a", "b"])("engine %s: the exec runs, logs hello to stdout and err to stderr, then completes", (engine) => {
    const events = convert(`${engine}-echo`);
    const exec = events.filter((e) => e.vertex.name === "echo hello");
    expect(exec[0]?.kind).toBe("vertex-started");
    expect(exec.at(-1)?.kind).toBe("vertex-completed");
    expect(output(events, "echo hello", 1)).toBe("hello\n");
    expect(output(events, "echo hello", 2)).toBe("err\n");
  });

  test.each(["a", "b"])("engine %s: a rebuild shows the exec cached, without logs", (engine) => {
    const exec = convert(`${engine}-echo-cached`).filter((e) => e.vertex.name === "echo hello");
    expect(exec.map((e) => e.kind)).toEqual(["vertex-started", "vertex-cached"]);
  });

  test.each(["a", "b"])("engine %s: chunks are kept per stream, UTF-8 decoded, partial lines included", (engine) => {
    const events = convert(`${engine}-chunks`);
    expect(output(events, "chunks", 1)).toBe("part one and two\nline 2\nno newline at end");
    expect(output(events, "chunks", 2)).toBe("café\n");
  });

  test.each(["a", "b"])("engine %s: a failing exec errors with the exit code, after its output", (engine) => {
    const events = convert(`${engine}-fail`);
    const exec = events.filter((e) => e.vertex.name === "fail");
    const errored = exec.at(-1);
    expect(errored).toMatchObject({ kind: "vertex-errored", canceled: false });
    expect(errored?.kind === "vertex-errored" ? errored.error : "").toMatch(/exit code: 3$/);
    expect(output(events, "fail", 1)).toBe("about to fail\n");
    expect(output(events, "fail", 2)).toBe("oops\n");
  });
});

test("renderProgress drives a renderer over an event stream", async () => {
  const fixture = loadStatusFixture("a-echo");
  let text = "";
  await renderProgress(progressEvents(replay(fixture.messages)), { write: (chunk: string) => (text += chunk) }, { mode: "auto" });
  expect(text).toBe(render("plain", convert("a-echo")));
});
