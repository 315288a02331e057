import { expect, test } from "vitest";
import { EventQueue } from "./event-queue.ts";

test("yields what was pushed before and after iteration started, and ends after close", async () => {
  const queue = new EventQueue<number>();
  queue.push(1);
  const seen: number[] = [];
  const done = (async () => {
    for await (const n of queue) seen.push(n);
  })();
  await Promise.resolve();
  queue.push(2);
  queue.close();
  queue.push(3);
  await done;
  expect(seen).toEqual([1, 2]);
});

test("can be iterated only once", async () => {
  const queue = new EventQueue<number>();
  queue.close();
  for await (const _ of queue) expect.unreachable();
  await expect(
    (async () => {
      for await (const _ of queue) expect.unreachable();
    })(),
  ).rejects.toThrow(/only once/);
});
