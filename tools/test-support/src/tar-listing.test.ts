import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listTar, listTree, treeLines } from "./tar-listing.ts";

// Archives written here byte by byte (USTAR headers, PAX records, GNU long names), so each field is the one a test
// names.

interface HeaderFields {
  readonly name: string;
  readonly type?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly size?: number;
  readonly link?: string;
  readonly prefix?: string;
  /** Written as GNU base-256 instead of octal. */
  readonly uidBase256?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(512);
  block.write(fields.name, 0, 100, "utf8");
  block.write(octal(fields.mode ?? 0o644, 8), 100, "ascii");
  block.write(octal(fields.uid ?? 0, 8), 108, "ascii");
  if (fields.uidBase256 !== undefined) {
    block.fill(0, 108, 116);
    block[108] = 0x80;
    block.writeUInt32BE(fields.uidBase256, 112);
  }
  block.write(octal(fields.gid ?? 0, 8), 116, "ascii");
  block.write(octal(fields.size ?? 0, 12), 124, "ascii");
  block.write(octal(1_700_000_000, 12), 136, "ascii");
  block.write(fields.type ?? "0", 156, "ascii");
  block.write(fields.link ?? "", 157, 100, "utf8");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write(fields.prefix ?? "", 345, 155, "utf8");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return block;
}

function member(fields: HeaderFields, data: string | Buffer = ""): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const padded = Buffer.alloc(Math.ceil(bytes.length / 512) * 512);
  bytes.copy(padded);
  return Buffer.concat([header({ ...fields, size: fields.size ?? bytes.length }), padded]);
}

function paxRecords(records: Readonly<Record<string, string>>): string {
  return Object.entries(records)
    .map(([key, value]) => {
      const body = ` ${key}=${value}\n`;
      let length = body.length + 1;
      while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
      return `${length}${body}`;
    })
    .join("");
}

function archive(...members: Buffer[]): Buffer {
  return Buffer.concat([...members, Buffer.alloc(1024)]);
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const longDir = `${"deep/".repeat(25)}end`;

const plain = archive(
  member({ name: "./", type: "5", mode: 0o755 }),
  member({ name: "./etc/", type: "5", mode: 0o755 }),
  member({ name: "./etc/hello.txt", mode: 0o644, uid: 1000, gid: 1001 }, "hello\n"),
  member({ name: "./etc/link", type: "2", mode: 0o777, link: "hello.txt" }),
  member({ name: "./etc/hard", type: "1", link: "./etc/hello.txt" }),
  member({ name: "./bin/tool", type: "\0", mode: 0o4755 }, "#!/bin/sh\n"),
  member({ name: "c.txt", prefix: "a/b" }, "prefixed\n"),
  member({ name: "./dev/null", type: "3", mode: 0o666 }),
);

const extended = archive(
  member({ name: "./PaxHeaders/long", type: "x" }, paxRecords({ path: `${longDir}/file.txt`, uid: "70000" })),
  member({ name: `./${longDir.slice(0, 90)}`, mode: 0o600 }, "long\n"),
  member({ name: "././@LongLink", type: "L" }, `./${longDir}/gnu.txt\0`),
  member({ name: "./truncated", mode: 0o640 }, "gnu\n"),
  member({ name: "././@LongLink", type: "K" }, `${longDir}/gnu.txt\0`),
  member({ name: "./to-gnu", type: "2", mode: 0o777, link: "truncated" }),
  member({ name: "./big-uid", uidBase256: 5_000_000 }, "uid\n"),
);

describe("listTree", () => {
  it("lists path, type, mode bits, owner, size, link and content hash, in archive order, without the root", () => {
    expect(listTree(plain)).toEqual([
      { path: "etc", type: "dir", mode: "0755", uid: 0, gid: 0, size: 0 },
      { path: "etc/hello.txt", type: "file", mode: "0644", uid: 1000, gid: 1001, size: 6, sha256: sha256("hello\n") },
      { path: "etc/link", type: "symlink", mode: "0777", uid: 0, gid: 0, size: 0, link: "hello.txt" },
      { path: "etc/hard", type: "hardlink", mode: "0644", uid: 0, gid: 0, size: 0, link: "etc/hello.txt" },
      { path: "bin/tool", type: "file", mode: "4755", uid: 0, gid: 0, size: 10, sha256: sha256("#!/bin/sh\n") },
      { path: "a/b/c.txt", type: "file", mode: "0644", uid: 0, gid: 0, size: 9, sha256: sha256("prefixed\n") },
      { path: "dev/null", type: "char", mode: "0666", uid: 0, gid: 0, size: 0 },
    ]);
  });

  it("applies PAX records, GNU long names and links, and GNU base-256 numbers", () => {
    expect(listTree(extended)).toEqual([
      { path: `${longDir}/file.txt`, type: "file", mode: "0600", uid: 70000, gid: 0, size: 5, sha256: sha256("long\n") },
      { path: `${longDir}/gnu.txt`, type: "file", mode: "0640", uid: 0, gid: 0, size: 4, sha256: sha256("gnu\n") },
      { path: "to-gnu", type: "symlink", mode: "0777", uid: 0, gid: 0, size: 0, link: `${longDir}/gnu.txt` },
      { path: "big-uid", type: "file", mode: "0644", uid: 5_000_000, gid: 0, size: 4, sha256: sha256("uid\n") },
    ]);
  });

  it("hashes what `normalize` returns for a regular file, given its path", () => {
    const seen: string[] = [];
    const entries = listTree(plain, (path, data) => {
      seen.push(path);
      return path === "etc/hello.txt" ? Buffer.from("HELLO\n") : data;
    });
    expect(seen).toEqual(["etc/hello.txt", "bin/tool", "a/b/c.txt"]);
    expect(entries.find((entry) => entry.path === "etc/hello.txt")?.sha256).toBe(sha256("HELLO\n"));
    expect(entries.find((entry) => entry.path === "bin/tool")?.sha256).toBe(sha256("#!/bin/sh\n"));
  });
});

describe("treeLines", () => {
  it("gives one line per entry, sorted by path (an empty link field leaves two spaces before a hash)", () => {
    expect(treeLines(listTree(plain))).toEqual([
      `a/b/c.txt file 0644 0:0 9  ${sha256("prefixed\n")}`,
      `bin/tool file 4755 0:0 10  ${sha256("#!/bin/sh\n")}`,
      "dev/null char 0666 0:0 0",
      "etc dir 0755 0:0 0",
      "etc/hard hardlink 0644 0:0 0 -> etc/hello.txt",
      `etc/hello.txt file 0644 1000:1001 6  ${sha256("hello\n")}`,
      "etc/link symlink 0777 0:0 0 -> hello.txt",
    ]);
  });

  it("is the same for the same tree in another order", () => {
    expect(treeLines([...listTree(plain)].reverse())).toEqual(treeLines(listTree(plain)));
  });
});

describe("listTar", () => {
  it("gives each member's cleaned name, type flag and contents, without the root", () => {
    expect(listTar(plain).map(({ name, type, data }) => [name, type, data.toString()])).toEqual([
      ["etc", "5", ""],
      ["etc/hello.txt", "0", "hello\n"],
      ["etc/link", "2", ""],
      ["etc/hard", "1", ""],
      ["bin/tool", "0", "#!/bin/sh\n"],
      ["a/b/c.txt", "0", "prefixed\n"],
      ["dev/null", "3", ""],
    ]);
  });

  it("names members by their PAX path or GNU long name", () => {
    expect(listTar(extended).map((entry) => entry.name)).toEqual([`${longDir}/file.txt`, `${longDir}/gnu.txt`, "to-gnu", "big-uid"]);
  });
});
