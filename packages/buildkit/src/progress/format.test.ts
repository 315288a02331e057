import { expect, test } from "vitest";
import { LineSplitter, StreamLines, formatBytes, formatLogTime, formatSeconds } from "./format.ts";

test("log times have 3, 2 or 1 decimals under 10 s, under 100 s and beyond", () => {
  expect([0, 123, 9999, 10_000, 99_994, 100_000, 1_234_567, -5].map(formatLogTime)).toEqual([
    "0.000",
    "0.123",
    "9.999",
    "10.00",
    "99.99",
    "100.0",
    "1234.6",
    "0.000",
  ]);
});

test("seconds and bytes", () => {
  expect([0, 49, 50, 12_345].map(formatSeconds)).toEqual(["0.0s", "0.0s", "0.1s", "12.3s"]);
  expect([0, 999, 1000, 1_234_567, 5e12].map(formatBytes)).toEqual(["0B", "999B", "1.00kB", "1.23MB", "5.00TB"]);
});

test("lines are split across chunks; CRLF ends a line; a partial line waits for flush", () => {
  const lines = new LineSplitter();
  expect(lines.push("a\r\nb")).toEqual(["a"]);
  expect(lines.push("c\n\nd")).toEqual(["bc", ""]);
  expect(lines.flush()).toEqual(["d"]);
  expect(lines.flush()).toEqual([]);
});

test("streams keep their own partial lines", () => {
  const lines = new StreamLines();
  expect(lines.push(1, "out ")).toEqual([]);
  expect(lines.push(2, "err\n")).toEqual(["err"]);
  expect(lines.push(2, "tail")).toEqual([]);
  expect(lines.push(1, "line\nrest")).toEqual(["out line"]);
  expect(lines.flush()).toEqual(["rest", "tail"]);
});
