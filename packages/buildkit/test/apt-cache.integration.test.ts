// Cache mounts keep apt's downloads (issue 5 section 4): an aptInstall-like RUN with `/var/cache/apt` (sharing locked)
// and `/var/lib/apt/lists` as cache mounts, built twice through the LLB back end (build()'s default), the step's
// command differing by one `echo` so it really runs again: the second run must download no package (apt says
// `Need to get 0 B` and prints no `Get:` line for a .deb). Not `noCache`: BuildKit's ignore-cache also gives the
// step empty cache mounts (since moby/buildkit 7b1bae7, 2019; moby/buildkit#1213 and #4250), through either back end. Debian's images delete downloaded debs after every install
// (/etc/apt/apt.conf.d/docker-clean), so the step removes that file first. Both timings are printed.
// Host networking: Debian's mirror is the only reachable one. CHUTES_ENGINE=a|b|all; skips when no engine answers
// and CI is unset, fails under CI=true.

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Image } from "@chutes/image-core";
import { ci, engineApi, isReachable, selectedEngines } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build, connectBuildKit } from "../src/index.ts";
import type { BuildKitClient, ProgressEvent } from "../src/index.ts";

const DEBIAN = "local/debian:bookworm-minbase";
/** A few megabytes over several debs (python3.11-minimal and its libraries). */
const PACKAGES = ["python3-minimal"];

const engines = selectedEngines();
const reachable = new Map(await Promise.all(engines.map(async (e) => [e.id, await isReachable(e)] as const)));
const nonce = randomUUID().slice(0, 8);

/** A .deb download in apt's output: `Get:3 http://deb.debian.org/debian bookworm/main amd64 <pkg> amd64 <version> [<size>]`. */
const DEB_GET = /^Get:\d+ \S+ \S+ amd64 \S+ (amd64|all) /m;

describe.each(engines)("apt cache mounts on $label", (engine: TestEngine) => {
  const up = reachable.get(engine.id) === true;
  let client: BuildKitClient | undefined;
  let contextDir = "";
  const tag = `docker.io/chutes-test/apt-cache:${engine.id}-${nonce}`;

  beforeAll(async () => {
    contextDir = await mkdtemp(join(tmpdir(), `chutes-apt-cache-${engine.id}-`));
    if (up) client = await connectBuildKit({ address: engine.address });
  });

  afterAll(async () => {
    if (up && client !== undefined) {
      await engineApi(engine, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
      // The cache mounts of this run (their description names the command, which carries the nonce).
      const records = await client.control.diskUsage();
      const ours = records.filter((r) => r.description.includes(nonce)).map((r) => `id==${r.id}`);
      if (ours.length > 0) await client.control.prune({ filters: ours });
      await client.close();
    }
    await rm(contextDir, { recursive: true, force: true });
  });

  test.skipIf(!up && !ci)("the second run of an apt install with cache mounts downloads nothing", async () => {
    if (!up || client === undefined) {
      throw new Error(`CI is set but ${engine.label} is not reachable at ${engine.socket}: start it with \`bash scripts/engine.sh up ${engine.id}\``);
    }
    const c = client;
    const image = (round: number): Image => new Image("chutes-test", "apt-cache")
      .fromBase(DEBIAN)
      .runCommand(
        [
          `echo apt-cache-${nonce} round ${round} &&`,
          "rm -f /etc/apt/apt.conf.d/docker-clean &&",
          "apt-get update &&",
          `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES.join(" ")}`,
        ].join(" "),
        {
          mounts: [
            { type: "cache", target: "/var/cache/apt", id: `apt-cache-${nonce}`, sharing: "locked" },
            { type: "cache", target: "/var/lib/apt/lists", id: `apt-lists-${nonce}`, sharing: "locked" },
          ],
        },
      )
      .runCommand("python3 -c 'print(6 * 7)' > /answer.txt");

    const run = async (round: number): Promise<{ ms: number; output: string }> => {
      let output = "";
      const progress = (event: ProgressEvent): void => {
        if (event.kind === "log") output += event.data;
      };
      const result = await build(image(round), { engine: c, contextDir, network: "host", tags: [tag], progress });
      return { ms: result.durationMs, output };
    };

    const first = await run(1);
    const second = await run(2);
    const needFirst = /Need to get ([^\n]*?) of archives/.exec(first.output)?.[1] ?? "?";
    const needSecond = /Need to get ([^\n]*?) of archives/.exec(second.output)?.[1] ?? "?";
    const debs = first.output.split("\n").filter((line) => DEB_GET.test(line)).length;
    console.log(
      `${engine.label}: apt install of ${PACKAGES.join(" ")} with cache mounts: first build ${Math.round(first.ms)} ms ` +
        `(${debs} debs, need to get ${needFirst}), second build (step run again) ${Math.round(second.ms)} ms (need to get ${needSecond})`,
    );

    // The first run did download, so the second one's "nothing" means something.
    expect(first.output).toMatch(DEB_GET);
    expect(needFirst).not.toMatch(/^0 B/);
    // The second run ran the step again and took every deb from the cache mount.
    expect(second.output).toMatch(/Setting up python3-minimal/);
    expect(second.output).toMatch(/Need to get 0 B(\/\S+ \S+)? of archives/);
    expect(second.output).not.toMatch(DEB_GET);
  }, 300_000);
});
