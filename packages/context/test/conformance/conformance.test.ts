// Replays every engine-recorded .dockerignore case with our parser and matcher and a reference walk, and
// demands exactly the engine's answer: the same paths (directories with a trailing `/`), the same symlink
// targets, or an error where the engine's build failed.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ContextError } from "../../src/errors.ts";
import { TRANSPORT_ERROR, loadFixtures, materialize, readIgnoreRules, replay } from "./fixture.ts";

const fixtures = loadFixtures();
let work = "";

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "chutes-context-conformance-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("the fixtures", () => {
  test("hold 100+ distinct cases, each citing known rules", () => {
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(fixtures.cases.map((c) => c.id)).size).toBe(fixtures.cases.length);
    for (const c of fixtures.cases) {
      expect(c.rules.length).toBeGreaterThan(0);
      for (const rule of c.rules) expect(fixtures.rules[String(rule)]).toBeDefined();
      expect(c.expected !== undefined || c.error !== undefined).toBe(true);
    }
  });

  test("cover every rule", () => {
    const covered = new Set(fixtures.cases.flatMap((c) => c.rules.map(String)));
    expect([...covered].sort()).toEqual(Object.keys(fixtures.rules).sort());
  });
});

describe.each(fixtures.cases.map((c) => [c.id, c] as const))("case %s", (id, c) => {
  test(c.why, async () => {
    const root = join(work, id);
    await materialize(root, c, fixtures.dockerfile);
    const ours = await replay(root, c);
    if (c.error === undefined) {
      expect(ours).toEqual({ paths: c.expected, links: c.links ?? {} });
    } else if (c.error === TRANSPORT_ERROR) {
      expect(ours).toEqual({ error: TRANSPORT_ERROR });
    } else {
      // Every other failure of the engine is a malformed pattern: ours is a ContextError naming the line.
      const error = await readIgnoreRules(root, c).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ContextError);
      expect(error).toMatchObject({ code: "invalid-dockerignore" });
      expect((error as ContextError).line).toBeGreaterThan(0);
    }
  });
});
