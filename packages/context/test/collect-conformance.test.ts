// Runs collectContext over every engine-recorded .dockerignore case (test/conformance/fixtures.json) and
// demands the engine's answer from `listContext` (what `chutes-image context --list` prints) and the same
// symlink targets.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { collectContext } from "../src/collect.ts";
import { ContextError } from "../src/errors.ts";
import { listContext } from "../src/list.ts";
import { TRANSPORT_ERROR, loadFixtures, materialize } from "./conformance/fixture.ts";

const fixtures = loadFixtures();
let work = "";

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "chutes-context-collect-conformance-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The engine's answer in `--list` form: a directory is listed (with `/`) only when nothing below it is. */
function asList(expected: readonly string[]): string[] {
  return expected.filter((path) => !path.endsWith("/") || !expected.some((other) => other !== path && other.startsWith(path)));
}

describe.each(fixtures.cases.map((c) => [c.id, c] as const))("collectContext on case %s", (id, c) => {
  test(c.why, async () => {
    const root = join(work, id);
    await materialize(root, c, fixtures.dockerfile);
    const options = c.dockerfile === undefined ? { root } : { root, dockerfile: c.dockerfile };
    if (c.error === undefined) {
      const manifest = await collectContext(options);
      expect(listContext(manifest)).toEqual(asList(c.expected ?? []));
      const links = Object.fromEntries(manifest.entries.flatMap((entry) => (entry.type === "symlink" ? [[entry.path, entry.linkTarget]] : [])));
      expect(links).toEqual(c.links ?? {});
    } else if (c.error === TRANSPORT_ERROR) {
      const manifest = await collectContext(options);
      expect(manifest.warnings.map((warning) => warning.code)).toContain("engine-would-fail");
    } else {
      const error = await collectContext(options).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ContextError);
      expect(error).toMatchObject({ code: "invalid-dockerignore" });
    }
  });
});
