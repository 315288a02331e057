// `chutes-image context`, called directly on temporary directories.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { collectContext, contextDigest } from "@chutes/context";
import { afterEach, describe, expect, it } from "vitest";
import { contextCommand, formatSize, parseSize } from "../src/context-command.ts";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "chutes-context-cli-"));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly bytes: Buffer;
}

async function run(cwd: string, ...args: string[]): Promise<Run> {
  const out: Buffer[] = [];
  let stderr = "";
  const code = await contextCommand(args, {
    stdout: { write: (chunk: string | Uint8Array) => out.push(Buffer.from(chunk)) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
  });
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString("utf8"), stderr, bytes };
}

const project = {
  ".dockerignore": "# dependencies\nnode_modules\n*.log\n",
  "app/main.py": "print('hello')\n",
  "app/model.bin": "x".repeat(5000),
  "app/util.py": "pass\n",
  "debug.log": "noise\n",
  "node_modules/dep/index.js": "module.exports = {};\n",
  "requirements.txt": "numpy\n",
};

/** Writes an image definition in its own directory, where `@chutes/image-core` resolves to this repo's package. */
async function imageFile(body: string): Promise<string> {
  const dir = await tempDir();
  const core = dirname(createRequire(import.meta.url).resolve("@chutes/image-core/package.json"));
  await mkdir(join(dir, "node_modules", "@chutes"), { recursive: true });
  await symlink(core, join(dir, "node_modules", "@chutes", "image-core"));
  const file = join(dir, "image.ts");
  await writeFile(file, `import { Image } from "@chutes/image-core";\n\nexport const image = ${body};\n`);
  return file;
}

describe("chutes-image context", () => {
  it("prints a summary: counts, size, the largest files, and a warning above the budget", async () => {
    const cwd = await tempDir(project);
    const result = await run(cwd, ".", "--budget", "5kB", "--top", "2");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        "Context    .",
        "Selection  the whole directory minus the ignore file (docker build)",
        "Ignore     .dockerignore (2 rules)",
        "Entries    5 files, 1 directory, 0 symlinks",
        "Size       5.1 kB (5060 bytes)",
        "",
        "Largest files:",
        "  5.0 kB  app/model.bin",
        "    34 B  .dockerignore",
        "",
        "warning: the context is 5.1 kB, above the budget of 5.0 kB. See what is in it with --list, ask why a path is there with --explain PATH, and exclude what the build does not need in .dockerignore.",
        "",
      ].join("\n"),
    );
    expect((await run(cwd, ".")).stdout).not.toContain("warning");
  });

  it("--list prints what COPY . / creates, sorted byte-wise", async () => {
    const cwd = await tempDir({ ...project, "empty/.keep": "" });
    await writeFile(join(cwd, ".dockerignore"), "node_modules\n*.log\nempty/.keep\n");
    const result = await run(cwd, ".", "--list");
    expect(result.stdout).toBe([".dockerignore", "app/main.py", "app/model.bin", "app/util.py", "empty/", "requirements.txt", ""].join("\n"));
    expect(JSON.parse((await run(cwd, ".", "--list", "--json")).stdout)).toEqual([".dockerignore", "app/main.py", "app/model.bin", "app/util.py", "empty/", "requirements.txt"]);
  });

  it("--explain names the .dockerignore line", async () => {
    const cwd = await tempDir(project);
    const result = await run(cwd, ".", "--explain", "debug.log");
    expect(result.stdout).toBe(["OUT  debug.log", "     debug.log is out: .dockerignore excludes it (line 3: *.log)", "     .dockerignore:3: *.log", ""].join("\n"));
    const json = JSON.parse((await run(cwd, ".", "--explain", "app/main.py", "--json")).stdout) as { included: boolean; path: string };
    expect(json).toMatchObject({ included: true, path: "app/main.py" });
  });

  it("--digest prints the context digest", async () => {
    const cwd = await tempDir(project);
    const result = await run(cwd, ".", "--digest");
    expect(result.stdout).toBe(`${await contextDigest(await collectContext({ root: cwd }))}\n`);
    expect(result.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it("--tar writes a reproducible tar to a file or to standard output", async () => {
    const cwd = await tempDir(project);
    const out = await tempDir();
    expect((await run(cwd, ".", "--tar", join(out, "context.tar"), "--reproducible")).code).toBe(0);
    const file = await readFile(join(out, "context.tar"));
    const piped = await run(cwd, ".", "--tar", "-", "--reproducible");
    expect(piped.bytes.equals(file)).toBe(true);
    const names = execFileSync("tar", ["-tf", "-"], { input: file }).toString();
    expect(names).toBe([".dockerignore", "app/", "app/main.py", "app/model.bin", "app/util.py", "requirements.txt", ""].join("\n"));
  });

  it("--json prints the manifest", async () => {
    const cwd = await tempDir(project);
    const manifest = JSON.parse((await run(cwd, ".", "--json")).stdout) as { entries: { path: string; mode: string; mtimeNs: string }[]; ignore: { rules: unknown[] } };
    expect(manifest.entries.map((entry) => entry.path)).toEqual([".dockerignore", "app", "app/main.py", "app/model.bin", "app/util.py", "requirements.txt"]);
    expect(manifest.entries[0]).toMatchObject({ mode: "0644", mtimeNs: expect.stringMatching(/^\d+$/) as unknown });
    expect(manifest.ignore.rules).toHaveLength(2);
  });

  it("--image keeps only what the image's add/copy steps reference", async () => {
    const cwd = await tempDir(project);
    const file = await imageFile('new Image("me", "app", "1.0.0").fromBase("python:3.11-slim").copy("requirements.txt", "/app/").copy("app", "/app", { exclude: ["*.bin"] })');
    const result = await run(cwd, ".", "--image", file, "--list");
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(["app/main.py", "app/util.py", "requirements.txt", ""].join("\n"));
    const summary = await run(cwd, ".", "--image", file);
    expect(summary.stdout).toContain("Selection  what ");
    expect(summary.stdout).toContain("add/copy steps reference (2 steps)");
  });

  it("uses <Dockerfile>.dockerignore next to --dockerfile", async () => {
    const cwd = await tempDir({ ...project, "docker/app.Dockerfile": "FROM scratch\n", "docker/app.Dockerfile.dockerignore": "app\n" });
    const result = await run(cwd, ".", "--dockerfile", "docker/app.Dockerfile", "--list");
    expect(result.stdout.split("\n")).toContain("node_modules/dep/index.js");
    expect(result.stdout).not.toContain("app/main.py");
  });

  it("refuses a symlink source that leads outside the context, naming the step, with exit code 1", async () => {
    const cwd = await tempDir(project);
    await symlink("/etc", join(cwd, "config"));
    const file = await imageFile('new Image("me", "app", "1.0.0").fromBase("python:3.11-slim").copy("app", "/app").copy("config/hostname", "/etc/hostname")');
    const result = await run(cwd, ".", "--image", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'chutes-image context: step 1 of stage "app": the source "config/hostname" goes through the symlink config -> /etc, which points outside the context\n',
    );
  });

  it("reports the image's own problems (a source climbing out with ..) like the other commands", async () => {
    const cwd = await tempDir(project);
    const file = await imageFile('new Image("me", "app", "1.0.0").fromBase("python:3.11-slim").copy("../secrets", "/s")');
    const result = await run(cwd, ".", "--image", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has 1 problem:\n .*copy \(stage app, step 0\): .*"\.\.\/secrets".*\[source-outside-context\]\n$/);
  });

  it("reports warnings on standard error", async () => {
    const cwd = await tempDir(project);
    const file = await imageFile('new Image("me", "app", "1.0.0").fromBase("python:3.11-slim").copy("missing.txt", "/app/")');
    const result = await run(cwd, ".", "--image", file, "--list");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe('warning: step 0 of stage "app": the source "missing.txt" does not exist in the context\n');
  });

  it("exits 1 for a missing directory and 2 for usage errors", async () => {
    const cwd = await tempDir();
    const missing = await run(cwd, "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^chutes-image context: the context root .*nope does not exist\n$/);
    for (const args of [[], [".", "x"], [".", "--list", "--digest"], [".", "--budget", "lots"], [".", "--reproducible"], [".", "--bogus"]]) {
      const result = await run(cwd, ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Usage: chutes-image context <dir>");
    }
    expect((await run(cwd, "--help")).stdout).toContain("Usage: chutes-image context <dir>");
  });
});

describe("sizes", () => {
  it("parses and formats sizes with decimal and binary units", () => {
    expect(parseSize("500MB")).toBe(500_000_000);
    expect(parseSize("1.5 GB")).toBe(1_500_000_000);
    expect(parseSize("2GiB")).toBe(2 * 1024 ** 3);
    expect(parseSize("10k")).toBe(10_000);
    expect(parseSize("1024")).toBe(1024);
    expect(parseSize("lots")).toBeUndefined();
    expect(formatSize(999)).toBe("999 B");
    expect(formatSize(1234)).toBe("1.2 kB");
    expect(formatSize(612_000_000)).toBe("612.0 MB");
  });
});
