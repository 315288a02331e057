import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Parser } from "tar";
import type { ReadEntry } from "tar";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, tempTree, touch } from "../test/tree.ts";
import type { Node } from "../test/tree.ts";
import { collectContext } from "./collect.ts";
import type { ContextManifest } from "./collect.ts";
import { packContext } from "./pack.ts";
import type { PackOptions } from "./pack.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(cleanup));
  delete process.env.SOURCE_DATE_EPOCH;
});

async function tree(nodes: Readonly<Record<string, Node>>, order?: readonly string[]): Promise<string> {
  const root = await tempTree(nodes, order);
  roots.push(root);
  return root;
}

async function bytes(manifest: ContextManifest, options?: PackOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of packContext(manifest, options)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Listed {
  readonly path: string;
  readonly type: string;
  readonly mode: number | undefined;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly uname: string | undefined;
  readonly gname: string | undefined;
  readonly size: number | undefined;
  readonly mtime: number | undefined;
  readonly linkpath: string;
  readonly body: string;
}

/** Parses a tar with the `tar` package's parser: every header field we set, and each body. */
async function parse(archive: Buffer): Promise<Listed[]> {
  const out: Listed[] = [];
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => {
        out.push({
          path: entry.path,
          type: entry.type,
          mode: entry.mode,
          uid: entry.uid,
          gid: entry.gid,
          uname: entry.uname,
          gname: entry.gname,
          size: entry.size,
          mtime: entry.mtime === undefined ? undefined : entry.mtime.getTime() / 1000,
          linkpath: entry.linkpath ?? "",
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("error", reject);
    parser.end(archive);
  });
  return out;
}

const nodes: Record<string, Node> = {
  ".dockerignore": "*.log\n",
  "app/main.py": "print('hi')\n",
  "app/run.sh": { content: "#!/bin/sh\nexec python3 main.py\n", mode: 0o755 },
  "app/debug.log": "noise",
  "app/current": { link: "main.py" },
  "data": { dir: true, mode: 0o700 },
  "a-b": "dash",
};

describe("packContext", () => {
  it("writes sorted entries with uid/gid 0, no names, kept permissions and normalized mtimes", async () => {
    const root = await tree(nodes);
    const archive = await bytes(await collectContext({ root }), { reproducible: true });
    expect(await parse(archive)).toEqual([
      { path: ".dockerignore", type: "File", mode: 0o644, uid: 0, gid: 0, uname: "", gname: "", size: 6, mtime: 0, linkpath: "", body: "*.log\n" },
      { path: "a-b", type: "File", mode: 0o644, uid: 0, gid: 0, uname: "", gname: "", size: 4, mtime: 0, linkpath: "", body: "dash" },
      { path: "app/", type: "Directory", mode: 0o755, uid: 0, gid: 0, uname: "", gname: "", size: 0, mtime: 0, linkpath: "", body: "" },
      { path: "app/current", type: "SymbolicLink", mode: 0o777, uid: 0, gid: 0, uname: "", gname: "", size: 0, mtime: 0, linkpath: "main.py", body: "" },
      // `*.log` matches at the root only (`*` never crosses `/`), as in Docker.
      { path: "app/debug.log", type: "File", mode: 0o644, uid: 0, gid: 0, uname: "", gname: "", size: 5, mtime: 0, linkpath: "", body: "noise" },
      { path: "app/main.py", type: "File", mode: 0o644, uid: 0, gid: 0, uname: "", gname: "", size: 12, mtime: 0, linkpath: "", body: "print('hi')\n" },
      { path: "app/run.sh", type: "File", mode: 0o755, uid: 0, gid: 0, uname: "", gname: "", size: 31, mtime: 0, linkpath: "", body: "#!/bin/sh\nexec python3 main.py\n" },
      { path: "data/", type: "Directory", mode: 0o700, uid: 0, gid: 0, uname: "", gname: "", size: 0, mtime: 0, linkpath: "", body: "" },
    ]);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(-1024).equals(Buffer.alloc(1024))).toBe(true);
  });

  it("reads back with GNU tar exactly as expected", async () => {
    const root = await tree(nodes);
    const archive = await bytes(await collectContext({ root }), { reproducible: true });
    const listing = execFileSync("tar", ["--numeric-owner", "-tvf", "-"], { input: archive, env: { ...process.env, TZ: "UTC" } }).toString();
    expect(listing.split("\n").map((line) => line.replace(/ +/g, " "))).toEqual([
      "-rw-r--r-- 0/0 6 1970-01-01 00:00 .dockerignore",
      "-rw-r--r-- 0/0 4 1970-01-01 00:00 a-b",
      "drwxr-xr-x 0/0 0 1970-01-01 00:00 app/",
      "lrwxrwxrwx 0/0 0 1970-01-01 00:00 app/current -> main.py",
      "-rw-r--r-- 0/0 5 1970-01-01 00:00 app/debug.log",
      "-rw-r--r-- 0/0 12 1970-01-01 00:00 app/main.py",
      "-rwxr-xr-x 0/0 31 1970-01-01 00:00 app/run.sh",
      "drwx------ 0/0 0 1970-01-01 00:00 data/",
      "",
    ]);
  });

  it("gives identical bytes every run, and for copies of a tree made in another order at other times", async () => {
    const first = await tree(nodes);
    const order = Object.keys(nodes).reverse();
    const second = await tree(nodes, order);
    await touch(join(second, "app/main.py"), 1_000_000);
    await touch(join(second, "app"), 2_000_000);
    const manifest = await collectContext({ root: first });
    const reference = await bytes(manifest, { reproducible: true });
    for (let i = 0; i < 10; i++) expect((await bytes(manifest, { reproducible: true })).equals(reference)).toBe(true);
    expect((await bytes(await collectContext({ root: second }), { reproducible: true })).equals(reference)).toBe(true);
  });

  it("honours SOURCE_DATE_EPOCH, an explicit mtime, and keeps real mtimes otherwise", async () => {
    const root = await tree({ "a": "a" });
    await touch(join(root, "a"), 1_234_567_890);
    const manifest = await collectContext({ root });
    process.env.SOURCE_DATE_EPOCH = "1700000000";
    expect((await parse(await bytes(manifest, { reproducible: true })))[0]?.mtime).toBe(1_700_000_000);
    expect((await parse(await bytes(manifest, { reproducible: true, mtime: new Date("2020-01-01T00:00:00Z") })))[0]?.mtime).toBe(1_577_836_800);
    expect((await parse(await bytes(manifest)))[0]?.mtime).toBe(1_234_567_890);
    process.env.SOURCE_DATE_EPOCH = "yesterday";
    expect(() => packContext(manifest, { reproducible: true })).toThrow(/SOURCE_DATE_EPOCH/);
  });

  it("writes long and non-ASCII names through pax headers that GNU tar reads", async () => {
    const long = `${"deep/".repeat(30)}${"x".repeat(120)}.txt`;
    const root = await tree({ [long]: "long", "naïve café.txt": "utf8", "link": { link: "t".repeat(150) } });
    const archive = await bytes(await collectContext({ root }), { reproducible: true });
    const names = execFileSync("tar", ["-tf", "-"], { input: archive }).toString().split("\n").filter(Boolean);
    expect(names).toContain(long);
    expect(names).toContain("naïve café.txt");
    const parsed = await parse(archive);
    expect(parsed.find((entry) => entry.path === "link")?.linkpath).toBe("t".repeat(150));
    expect(parsed.find((entry) => entry.path === long)?.body).toBe("long");
  });

  it("fails the stream when a file changed after it was collected", async () => {
    const root = await tree({ "a.txt": "short" });
    const manifest = await collectContext({ root });
    await writeFile(join(root, "a.txt"), "much longer now");
    await expect(bytes(manifest)).rejects.toMatchObject({ code: "unreadable", path: "a.txt" });
  });

  it("extracts to the same files", async () => {
    const root = await tree(nodes);
    const archive = await bytes(await collectContext({ root }), { reproducible: true });
    const out = await tree({});
    execFileSync("tar", ["-xf", "-", "-C", out], { input: archive });
    expect(await readFile(join(out, "app/run.sh"), "utf8")).toBe("#!/bin/sh\nexec python3 main.py\n");
    expect(execFileSync("stat", ["-c", "%a", join(out, "app/run.sh")]).toString().trim()).toBe("755");
  });

  it("streams a 2 GB sparse file with bounded memory", async () => {
    const root = await tree({ "small.txt": "s" });
    const big = join(root, "big.bin");
    await writeFile(big, "");
    await truncate(big, 2 * 1024 ** 3);
    const manifest = await collectContext({ root });
    const before = process.memoryUsage.rss();
    let peak = before;
    let total = 0;
    const hash = createHash("sha256");
    await pipeline(
      packContext(manifest, { reproducible: true }),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          total += chunk.length;
          if (total % (64 * 1024 * 1024) < chunk.length) peak = Math.max(peak, process.memoryUsage.rss());
          hash.update(chunk.subarray(0, 16));
          done();
        },
      }),
    );
    peak = Math.max(peak, process.memoryUsage.rss());
    expect(total).toBe(512 + 2 * 1024 ** 3 + 512 + 512 + 1024);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});
