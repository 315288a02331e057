// The README's examples are these files, verbatim: the test keeps them in sync, and running them proves they work.
import { readFileSync } from "node:fs";
import { renderDockerfile } from "@chutes/dockerfile";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MockInstance } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The ```ts block right after `<!-- example: test/readme/<name>.ts -->`. */
function block(name: string): string | undefined {
  const marker = `<!-- example: test/readme/${name}.ts -->`;
  const start = readme.indexOf(marker);
  if (start === -1) return undefined;
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(start + marker.length));
  return match?.[1];
}

let log: MockInstance<typeof console.log>;
beforeAll(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterAll(() => {
  log.mockRestore();
});

describe.each(["quick-start", "custom-preset"])("README example %s", (name) => {
  it("is the file test/readme/<name>.ts, verbatim", () => {
    expect(block(name)).toBe(readFileSync(new URL(`readme/${name}.ts`, import.meta.url), "utf8"));
  });
});

describe("the quick start", () => {
  it("resolves and renders the layered images", async () => {
    const { nlp } = await import("./readme/quick-start.ts");
    expect(nlp.validate()).toEqual([]);
    const text = renderDockerfile(nlp);
    expect(text.startsWith("FROM nvidia/cuda:12.8.2-base-ubuntu24.04\n")).toBe(true);
    expect(text).toContain("torch==2.7.1 torchvision==0.22.1 --index-url https://download.pytorch.org/whl/cu128");
    expect(log).toHaveBeenCalledWith("nvidia/cuda:12.8.2-base-ubuntu24.04", { torch: "2.7.1", torchvision: "0.22.1", torchaudio: "2.7.1" }, "9.0;12.0", "570.26");
  });
});

describe("the custom preset", () => {
  it("reports the HF_HOME conflict with withHfCache", async () => {
    const { conflicts, image, withModelVolume } = await import("./readme/custom-preset.ts");
    expect(image.validate()).toEqual([]);
    expect(withModelVolume().sets).toEqual({ env: ["HF_HOME"], paths: ["/models"], user: false });
    expect(conflicts.map((issue) => issue.code)).toEqual(["preset-env-conflict"]);
    expect(conflicts[0]?.message).toBe(
      'presets "hf-cache" (stage app, step 2) and "model-volume" (stage app, step 5) both set HF_HOME; the later silently wins. Keep one, or give them the same value through one preset\'s options',
    );
  });
});
