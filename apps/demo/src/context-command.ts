// `chutes-image context <dir>`: the build context Docker would get, as a summary, a list, an explanation, a
// digest, a tar or JSON. Exit codes: 0 ok, 1 the context cannot be computed (or the image has problems),
// 2 usage errors.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { relative, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { collectContext, contextDigest, explainContext, listContext, manifestToJSON, packContext } from "@chutes/context";
import type { CollectOptions, ContextExplanation, ContextManifest } from "@chutes/context";
import { ValidationError } from "@chutes/image-core";
import { loadImage } from "./load.ts";
import { reportDefinitionError } from "./report.ts";

/** Where the command writes (binary tar output included), and the directory relative paths start from. */
export interface ContextCommandIo {
  readonly stdout: { write(chunk: string | Uint8Array): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

export const CONTEXT_USAGE = `Usage: chutes-image context <dir> [options]

Shows the build context Docker gets for <dir>: a summary by default.

Options:
  --image <file.ts>       only what the image's add/copy steps reference (nothing else is uploaded)
  --export <name>         with --image: take the image from this export
  --dockerfile <path>     use <path>.dockerignore instead of <dir>/.dockerignore when it exists
  --ignore-file <path>    read the ignore rules from this file instead
  --list                  one path per line, sorted: what COPY . / creates (empty directories end in /)
  --explain <path>        why a path (relative to <dir>) is in the context or not
  --digest                the context digest: sha256 over paths, modes, link targets and contents
  --tar <out>             write the context as a tar file (- for standard output)
  --reproducible          with --tar: every mtime set to SOURCE_DATE_EPOCH, or 0
  --json                  the manifest (with --explain: the explanation; with --list: an array) as JSON
  --budget <size>         warn when the context is larger (default 500MB; units B, kB, MB, GB, KiB, MiB, GiB)
  --top <n>               how many of the largest files the summary shows (default 10)
  -h, --help              show this help

Examples:
  chutes-image context examples/demo
  chutes-image context examples/demo --image examples/demo/image.ts --list
  chutes-image context . --explain node_modules/x.js
  chutes-image context . --tar - --reproducible | tar -t
`;

const DEFAULT_BUDGET = 500_000_000;

/** Runs `chutes-image context` with the arguments after `context`; resolves to the exit code. */
export async function contextCommand(args: readonly string[], io: ContextCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        image: { type: "string" },
        export: { type: "string" },
        dockerfile: { type: "string" },
        "ignore-file": { type: "string" },
        list: { type: "boolean", default: false },
        explain: { type: "string" },
        digest: { type: "boolean", default: false },
        tar: { type: "string" },
        reproducible: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        budget: { type: "string" },
        top: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(CONTEXT_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) {
    return usage(io, positionals.length === 0 ? "give the context directory, e.g. chutes-image context ." : `give exactly one context directory, got ${positionals.length}`);
  }
  const modes = [values.list && "--list", values.explain !== undefined && "--explain", values.digest && "--digest", values.tar !== undefined && "--tar"].filter(
    (mode): mode is string => typeof mode === "string",
  );
  if (modes.length > 1) return usage(io, `${modes.join(" and ")} cannot be combined; choose one`);
  if (values.json && values.tar !== undefined) return usage(io, "--json cannot be combined with --tar");
  if (values.reproducible && values.tar === undefined) return usage(io, "--reproducible only applies to --tar");
  if (values.export !== undefined && values.image === undefined) return usage(io, "--export needs --image");
  let budget = DEFAULT_BUDGET;
  if (values.budget !== undefined) {
    const bytes = parseSize(values.budget);
    if (bytes === undefined) return usage(io, `--budget: ${JSON.stringify(values.budget)} is not a size; write e.g. 500MB or 2GiB`);
    budget = bytes;
  }
  const top = values.top === undefined ? 10 : Number(values.top);
  if (!Number.isInteger(top) || top < 0) return usage(io, `--top: ${JSON.stringify(values.top)} is not a whole number`);

  const dir = resolve(io.cwd, positionals[0]);
  try {
    const options: { -readonly [K in keyof CollectOptions]: CollectOptions[K] } = { root: dir };
    if (values.image !== undefined) {
      const image = await loadImage(values.image, values.export === undefined ? { cwd: io.cwd } : { cwd: io.cwd, exportName: values.export });
      const issues = image.validate();
      if (issues.length > 0) throw new ValidationError(issues);
      options.image = image;
    }
    if (values.dockerfile !== undefined) options.dockerfile = resolve(io.cwd, values.dockerfile);
    if (values["ignore-file"] !== undefined) options.ignoreFile = resolve(io.cwd, values["ignore-file"]);
    const manifest = await collectContext(options);

    for (const warning of manifest.warnings) io.stderr.write(`warning: ${warning.message}\n`);

    if (values.explain !== undefined) {
      const explanation = await explainContext(manifest, values.explain);
      io.stdout.write(values.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation, manifest, io.cwd));
      return 0;
    }
    if (values.list) {
      const lines = listContext(manifest);
      io.stdout.write(values.json ? `${JSON.stringify(lines, null, 2)}\n` : lines.map((line) => `${line}\n`).join(""));
      return 0;
    }
    if (values.digest) {
      const digest = await contextDigest(manifest);
      io.stdout.write(values.json ? `${JSON.stringify({ digest }, null, 2)}\n` : `${digest}\n`);
      return 0;
    }
    if (values.tar !== undefined) {
      const tar = packContext(manifest, { reproducible: values.reproducible });
      if (values.tar === "-") await writeAll(tar, io.stdout);
      else await pipeline(tar, createWriteStream(resolve(io.cwd, values.tar)));
      return 0;
    }
    if (values.json) {
      io.stdout.write(`${JSON.stringify(manifestToJSON(manifest), null, 2)}\n`);
      return 0;
    }
    io.stdout.write(formatSummary(manifest, { image: values.image, budget, top, cwd: io.cwd }));
    return 0;
  } catch (error) {
    const code = reportDefinitionError("context", values.image ?? "", error, io);
    if (code === undefined) throw error;
    return code;
  }
}

function usage(io: ContextCommandIo, problem: string): number {
  io.stderr.write(`chutes-image context: ${problem}\n\n${CONTEXT_USAGE}`);
  return 2;
}

/** Writes a stream to a sink, waiting for `drain` when the sink is a Node stream that asks for it. */
async function writeAll(source: AsyncIterable<unknown>, sink: ContextCommandIo["stdout"]): Promise<void> {
  const emitter = typeof (sink as { once?: unknown }).once === "function" ? (sink as unknown as NodeJS.EventEmitter) : undefined;
  for await (const chunk of source) {
    if (sink.write(chunk as Uint8Array) === false && emitter !== undefined) await once(emitter, "drain");
  }
}

/** Parses `500MB`, `1.5GB`, `512MiB`, `1000` (bytes). Decimal units are powers of 1000, `i` units of 1024. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]i?)?[bB]?\s*$/.exec(text);
  if (match === null) return undefined;
  const unit = (match[2] ?? "").toLowerCase();
  const powers: Record<string, number> = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, ti: 1024 ** 4 };
  const factor = powers[unit];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

/** `12.3 MB`: decimal units like Docker's "Sending build context" line. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = "B";
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

interface SummaryOptions {
  readonly image: string | undefined;
  readonly budget: number;
  readonly top: number;
  readonly cwd: string;
}

function formatSummary(manifest: ContextManifest, options: SummaryOptions): string {
  const count = (type: string) => manifest.entries.filter((entry) => entry.type === type).length;
  const files = manifest.entries.filter((entry) => entry.type === "file");
  const total = files.reduce((sum, entry) => sum + entry.size, 0);
  const lines: string[] = [];
  lines.push(`Context    ${display(manifest.root, options.cwd)}`);
  lines.push(`Selection  ${options.image === undefined ? "the whole directory minus the ignore file (docker build)" : `what ${options.image}'s add/copy steps reference (${manifest.steps?.length ?? 0} steps)`}`);
  lines.push(`Ignore     ${manifest.ignore.file === undefined ? "none" : `${display(manifest.ignore.file, options.cwd)} (${manifest.ignore.rules.length} rule${manifest.ignore.rules.length === 1 ? "" : "s"})`}`);
  lines.push(`Entries    ${plural(files.length, "file")}, ${plural(count("dir"), "directory", "directories")}, ${plural(count("symlink"), "symlink")}`);
  lines.push(`Size       ${formatSize(total)} (${total} bytes)`);
  const largest = [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1)).slice(0, options.top);
  if (largest.length > 0) {
    lines.push("", "Largest files:");
    const width = Math.max(...largest.map((entry) => formatSize(entry.size).length));
    for (const entry of largest) lines.push(`  ${formatSize(entry.size).padStart(width)}  ${entry.path}`);
  }
  if (total > options.budget) {
    lines.push(
      "",
      `warning: the context is ${formatSize(total)}, above the budget of ${formatSize(options.budget)}. See what is in it with --list, ` +
        "ask why a path is there with --explain PATH, and exclude what the build does not need in .dockerignore.",
    );
  }
  return `${lines.join("\n")}\n`;
}

function formatExplanation(explanation: ContextExplanation, manifest: ContextManifest, cwd: string): string {
  const lines = [`${explanation.included ? "IN " : "OUT"}  ${explanation.path}`, `     ${explanation.reason}`];
  const rule = explanation.ignore.rule;
  if (rule !== undefined && manifest.ignore.file !== undefined) {
    lines.push(`     ${display(manifest.ignore.file, cwd)}:${rule.line}: ${rule.text}`);
  }
  return `${lines.join("\n")}\n`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}
