// One measurement in its own process: packs a context with one tool into a sink and prints a JSON line with
// the elapsed time, the bytes written and this process's peak RSS. `verify` mode pipes into `tar -t` instead
// and prints the member count.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { relative } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

const [tool, root, mode = "time"] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const contextDist = fileURLToPath(new URL("../../packages/context/dist/index.js", import.meta.url));

/** Returns a readable tar stream of `root` made by `tool`, plus a way to get extra measurements after it ends. */
async function source() {
  switch (tool) {
    case "chutes": {
      const { collectContext, packContext } = await import(contextDist);
      const manifest = await collectContext({ root });
      return { stream: packContext(manifest, { reproducible: true }), after: async () => ({}) };
    }
    case "tar-fs": {
      const tar = require("tar-fs");
      const dockerignore = require("@balena/dockerignore");
      let rules = [];
      try {
        rules = readFileSync(`${root}/.dockerignore`, "utf8").split("\n");
      } catch {}
      const ig = dockerignore({ ignorecase: false }).add(rules);
      const stream = tar.pack(root, { ignore: (name) => ig.ignores(relative(root, name)) });
      return { stream, after: async () => ({}) };
    }
    case "gnu-tar": {
      const excludes = existsSync(`${root}/.dockerignore`) ? [`--exclude-from=${root}/.dockerignore`] : [];
      const child = spawn("/usr/bin/time", ["-f", "%M", "tar", "-c", "-f", "-", ...excludes, "-C", root, "."], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const exited = new Promise((resolve) => child.on("close", resolve));
      return {
        stream: child.stdout,
        after: async () => {
          await exited;
          const kb = Number(stderr.trim().split("\n").pop());
          return { childMaxRssKb: kb };
        },
      };
    }
    default:
      throw new Error(`unknown tool ${tool}`);
  }
}

const start = process.hrtime.bigint();
const { stream, after } = await source();
let bytes = 0;
if (mode === "verify") {
  const list = spawn("tar", ["-tf", "-"], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  list.stdout.on("data", (chunk) => (out += chunk));
  // tar -t stops reading at the end-of-archive blocks, before the record padding some writers add.
  list.stdin.on("error", () => {});
  stream.pipe(list.stdin);
  await new Promise((resolve) => list.on("close", resolve));
  stream.destroy();
  await after();
  const members = out.split("\n").filter(Boolean).map((line) => line.replace(/^\.\//, "").replace(/\/$/, "")).filter((line) => line !== "." && line !== "");
  console.log(JSON.stringify({ tool, members: members.length, files: members.filter((m) => !m.endsWith("/")).length }));
} else {
  await pipeline(
    stream,
    new Writable({
      write(chunk, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  const extra = await after();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(JSON.stringify({ tool, ms, bytes, maxRssKb: extra.childMaxRssKb ?? process.resourceUsage().maxRSS }));
}
