// `chutes-image init`, run as a user would (dist/cli.js) in directories outside the repository: the starter it
// writes loads through the CLI's own loader, type-checks, renders, and lints without findings.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadImage } from "../src/load.ts";
import { starterName } from "../src/starter.ts";
import { chutesImage, repo } from "./support/cli.ts";

const run = promisify(execFile);
let work = "";

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "chutes-init-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const STARTER_DOCKERFILE = `FROM python:3.12-slim
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY --chown=1000:1000 app/ ./
USER app
EXPOSE 8000/tcp
CMD ["python", "main.py"]
`;

describe("chutes-image init", () => {
  it("writes image.ts, .dockerignore and app/main.py, and prints the next steps", async () => {
    const result = await chutesImage(["init", "hello-app"], { cwd: work });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Wrote hello-app\/image\.ts, hello-app\/\.dockerignore, hello-app\/app\/main\.py\n/);
    expect(result.stdout).toContain("  chutes-image render hello-app/image.ts");
    expect(result.stdout).toContain("  chutes-image lint hello-app/image.ts");
    expect(result.stdout).toContain("  chutes-image build hello-app/image.ts --tag myuser/hello-app:0.1.0");
    // Run from the repository, so it also says how to build on the offline engines.
    expect(result.stdout).toContain("--base-map python:3.12-slim=local/debian:bookworm-minbase");
    const image = await readFile(join(work, "hello-app", "image.ts"), "utf8");
    expect(image).toContain('import { Image } from "@chutes/image-core";');
    expect(image).toContain('new Image("myuser", "hello-app", "0.1.0"');
    expect(await readFile(join(work, "hello-app", ".dockerignore"), "utf8")).toContain("**/__pycache__\n");
    expect(await readFile(join(work, "hello-app", "app", "main.py"), "utf8")).toContain("ThreadingHTTPServer");
  });

  it("writes into the current directory by default, named after it", async () => {
    const dir = await mkdtemp(join(work, "Cwd_Project-"));
    const result = await chutesImage(["init"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Wrote image\.ts, \.dockerignore, app\/main\.py\n/);
    expect(result.stdout).toContain("  chutes-image render image.ts");
    expect(await readFile(join(dir, "image.ts"), "utf8")).toContain(`"${starterName(dir.slice(work.length + 1))}"`);
  });

  it("loads through the CLI's loader from a directory without node_modules", async () => {
    const image = await loadImage("hello-app/image.ts", { cwd: work });
    expect(image.validate()).toEqual([]);
    expect(image.toJSON()).toMatchObject({ ref: { username: "myuser", name: "hello-app", tag: "0.1.0" }, stages: [{ base: { image: "python:3.12-slim" } }] });
  });

  it("renders, and lints with no findings", async () => {
    const render = await chutesImage(["render", "hello-app/image.ts"], { cwd: work });
    expect(render.stderr).toBe("");
    expect(render.code).toBe(0);
    expect(render.stdout).toBe(STARTER_DOCKERFILE);
    const lint = await chutesImage(["lint", "hello-app/image.ts", "--json"], { cwd: work });
    expect(lint.code).toBe(0);
    expect(JSON.parse(lint.stdout)).toEqual([]);
    const context = await chutesImage(["context", "hello-app", "--image", "hello-app/image.ts", "--list"], { cwd: work });
    expect(context.code).toBe(0);
    expect(context.stdout).toBe("app/main.py\n");
  });

  it("type-checks against @chutes/image-core's published types (strict)", { timeout: 60_000 }, async () => {
    const dir = join(work, "hello-app");
    const tsconfig = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        noEmit: true,
        skipLibCheck: true,
        types: [],
        paths: { "@chutes/image-core": [join(repo, "packages/image-core/dist/index.d.ts")] },
      },
      files: ["image.ts"],
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = join(repo, "node_modules/typescript/bin/tsc");
    await expect(run(process.execPath, [tsc, "-p", dir])).resolves.toMatchObject({ stdout: "" });
    // The check is real: a wrong argument fails it.
    const starter = await readFile(join(dir, "image.ts"), "utf8");
    await writeFile(join(dir, "broken.ts"), starter.replace(".exposePort(8000)", '.exposePort("8000")'));
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, files: ["broken.ts"] }));
    await expect(run(process.execPath, [tsc, "-p", dir])).rejects.toMatchObject({ stdout: expect.stringContaining("broken.ts") as unknown });
    await rm(join(dir, "broken.ts"));
    await rm(join(dir, "tsconfig.json"));
  });

  it("refuses to overwrite, naming the files and --force, and writes nothing", async () => {
    await writeFile(join(work, "hello-app", "app", "main.py"), "# mine\n");
    const result = await chutesImage(["init", "hello-app"], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "chutes-image init: hello-app/image.ts, hello-app/.dockerignore, hello-app/app/main.py already exist; pass --force to overwrite them (nothing was written)\n",
    );
    expect(await readFile(join(work, "hello-app", "app", "main.py"), "utf8")).toBe("# mine\n");

    await rm(join(work, "hello-app", "image.ts"));
    await rm(join(work, "hello-app", ".dockerignore"));
    const one = await chutesImage(["init", "hello-app"], { cwd: work });
    expect(one.code).toBe(2);
    expect(one.stderr).toBe("chutes-image init: hello-app/app/main.py already exists; pass --force to overwrite it (nothing was written)\n");

    const forced = await chutesImage(["init", "hello-app", "--force"], { cwd: work });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^Wrote .* \(overwrote hello-app\/app\/main\.py\)\n/);
    expect(await readFile(join(work, "hello-app", "app", "main.py"), "utf8")).toContain("ThreadingHTTPServer");
  });

  it("exits 2 on usage errors", async () => {
    await writeFile(join(work, "a-file"), "");
    const notDir = await chutesImage(["init", "a-file"], { cwd: work });
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toMatch(/^chutes-image init: a-file exists and is not a directory; give a directory, e.g. chutes-image init my-app\n/);
    const two = await chutesImage(["init", "a", "b"], { cwd: work });
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^chutes-image init: give at most one directory, got 2: a b\n/);
    const option = await chutesImage(["init", "--forse"], { cwd: work });
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^chutes-image init: Unknown option '--forse'/);
  });
});

describe("starterName", () => {
  it("makes a valid image name from a directory name", () => {
    expect(starterName("My_App")).toBe("my-app");
    expect(starterName("  --Hello World 2--")).toBe("hello-world-2");
    expect(starterName("___")).toBe("my-app");
    expect(starterName("x".repeat(80))).toHaveLength(63);
  });
});
