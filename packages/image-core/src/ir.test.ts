import { describe, expect, it } from "vitest";
import { STEP_KINDS, shellCommandText } from "./ir.ts";

describe("ir", () => {
  it("lists every step kind once", () => {
    expect(new Set(STEP_KINDS).size).toBe(STEP_KINDS.length);
    expect(STEP_KINDS).toHaveLength(14);
  });
  it("joins folded shell lines with single spaces", () => {
    expect(shellCommandText({ form: "shell", lines: ["apt-get update &&", "apt-get install -y git"] })).toBe(
      "apt-get update && apt-get install -y git",
    );
  });
});
