// `chutes-image engine status|up|down [a|b|all]`. `status`: the engine `build` would use (resolveAddress: --engine,
// BUILDKIT_HOST, DOCKER_HOST, the default sockets) and whether it answers a ListWorkers call within a few seconds,
// plus the repository's development engines. `up`/`down` run the repository's scripts/engine.sh. Exit codes:
// 0 ok, 1 engine.sh failed to stop an engine, 2 usage (or not run from the repository, for up/down), 4 the engine
// does not answer (or did not start), 130 interrupted. The BuildKit client is loaded only by `status`.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { EngineAddress } from "@chutes/buildkit";
import { colourEnabled, painter } from "./colour.ts";
import type { Painter } from "./colour.ts";
import { LOCAL_ENGINES, findRepoRoot } from "./repo.ts";
import type { LocalEngine } from "./repo.ts";

export interface EngineCommandIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
  /** BUILDKIT_HOST, DOCKER_HOST, NO_COLOR, FORCE_COLOR (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Stops a running `up`/`down` (the CLI wires SIGINT to it). */
  readonly signal?: AbortSignal;
}

const STATUS_TIMEOUT_MS = 3000;
const TARGETS = ["a", "b", "all"] as const;

type Target = (typeof TARGETS)[number];

export const ENGINE_USAGE = `Usage: chutes-image engine status [a|b|all] [--engine <address>] [--json]
       chutes-image engine up|down [a|b|all]

status   the engine \`build\` uses (--engine, else BUILDKIT_HOST, else DOCKER_HOST, else
         /run/buildkit/buildkitd.sock or /var/run/docker.sock), whether it answers (a BuildKit ListWorkers call,
         ${STATUS_TIMEOUT_MS / 1000} s at most), and this repository's development engines (a, b, or all of them).
         Exits 0 when the engine answers (with a|b|all: when those development engines are up), else 4.
up       start this repository's development engines: bash scripts/engine.sh up <a|b|all> (default all).
         Engine A is Docker 20.10 (BuildKit 0.8), engine B Docker 26 (BuildKit 0.13), both offline, with
         local/debian:bookworm-minbase and local/busybox:latest. Needs root; the first start takes minutes.
down     stop them: bash scripts/engine.sh down <a|b|all> (caches are kept).
up and down work only from a checkout of the chutes-image repository.

Options:
  --engine <address>   status: check this address instead, e.g. docker+unix:///run/chutes-image/b/docker.sock
  --json               status: machine-readable output
  -h, --help           show this help

Examples:
  chutes-image engine status
  chutes-image engine status b --json
  chutes-image engine up b
  DOCKER_HOST=unix:///run/chutes-image/b/docker.sock chutes-image build examples/demo/image.ts --network host
`;

/** Runs `chutes-image engine` with the arguments after `engine`; resolves to the exit code. */
export async function engineCommand(args: readonly string[], io: EngineCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        engine: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(ENGINE_USAGE);
    return 0;
  }
  const [action = "status", target, ...extra] = positionals;
  if (action !== "status" && action !== "up" && action !== "down") {
    return usage(io, `unknown engine command ${JSON.stringify(action)}; use status, up or down, e.g. chutes-image engine status`);
  }
  if (extra.length > 0) return usage(io, `${action} takes one engine (a, b or all), got ${[target, ...extra].join(" ")}`);
  const chosen = target === undefined ? undefined : TARGETS.find((candidate) => candidate === target);
  if (target !== undefined && chosen === undefined) {
    return usage(io, `${action}: unknown engine ${JSON.stringify(target)}; use a, b or all`);
  }
  if (action === "status") return status(io, chosen, values.engine, values.json);
  if (values.engine !== undefined || values.json) {
    return usage(io, `${action} manages this repository's engines a and b; --engine and --json only apply to status`);
  }
  return runEngineScript(io, action, chosen ?? "all");
}

function usage(io: EngineCommandIo, problem: string): number {
  io.stderr.write(`chutes-image engine: ${problem}\n\n${ENGINE_USAGE}`);
  return 2;
}

// ------------------------------------------------------------------------------------------------ up, down

async function runEngineScript(io: EngineCommandIo, action: "up" | "down", target: Target): Promise<number> {
  const root = findRepoRoot();
  if (root === undefined) {
    io.stderr.write(
      `chutes-image engine ${action}: up and down manage the chutes-image repository's development engines ` +
        `(scripts/engine.sh), and this CLI does not run from a checkout of that repository. Use your own ` +
        `engine instead: set DOCKER_HOST or BUILDKIT_HOST, or pass --engine to build; chutes-image engine status ` +
        `shows what the CLI finds.\n`,
    );
    return 2;
  }
  const script = join(root, "scripts", "engine.sh");
  io.stderr.write(`chutes-image engine ${action}: bash scripts/engine.sh ${action} ${target}\n`);
  const code = await new Promise<number | "interrupted">((resolve) => {
    const child = spawn("bash", [script, action, target], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => io.stdout.write(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => io.stderr.write(chunk));
    child.on("error", (error) => {
      if (io.signal?.aborted === true) resolve("interrupted");
      else {
        io.stderr.write(`chutes-image engine ${action}: could not run bash ${script}: ${error.message}\n`);
        resolve(127);
      }
    });
    child.on("close", (exit, signal) => {
      resolve(io.signal?.aborted === true || signal === "SIGINT" ? "interrupted" : (exit ?? 1));
    });
  });
  if (code === "interrupted") {
    io.stderr.write(`chutes-image engine ${action}: interrupted\n`);
    return 130;
  }
  if (code === 0) return 0;
  io.stderr.write(`chutes-image engine ${action}: scripts/engine.sh ${action} ${target} exited with code ${code}; its log is above\n`);
  return action === "up" ? 4 : 1;
}

// ------------------------------------------------------------------------------------------------ status

/** The address given (--engine, BUILDKIT_HOST, DOCKER_HOST) is not one: a usage error. */
class InvalidAddress extends Error {}

interface EngineReport {
  readonly address: string | null;
  readonly source: string | null;
  readonly kind: string | null;
  readonly answers: boolean;
  readonly version?: string;
  readonly workers?: readonly { readonly id: string; readonly platforms: readonly string[] }[];
  readonly error?: string;
  readonly ms?: number;
}

interface LocalReport {
  readonly id: LocalEngine["id"];
  readonly label: string;
  readonly address: string;
  readonly up: boolean;
  readonly version?: string;
}

async function status(io: EngineCommandIo, target: Target | undefined, engine: string | undefined, json: boolean): Promise<number> {
  const env = io.env ?? process.env;
  const root = findRepoRoot();
  const showLocal = target !== undefined || root !== undefined || LOCAL_ENGINES.some((local) => existsSync(local.socket));
  const locals = LOCAL_ENGINES.filter((local) => target === undefined || target === "all" || target === local.id);
  let report: EngineReport;
  let localReports: readonly LocalReport[];
  try {
    [report, localReports] = await Promise.all([checkEngine(engine, env), showLocal ? Promise.all(locals.map(checkLocal)) : Promise.resolve([])]);
  } catch (error) {
    if (error instanceof InvalidAddress) return usage(io, error.message);
    throw error;
  }
  const ok = target === undefined ? report.answers : localReports.every((local) => local.up);

  if (json) {
    io.stdout.write(`${JSON.stringify({ engine: report, local: localReports, repository: root ?? null }, null, 2)}\n`);
    return ok ? 0 : 4;
  }
  const paint = painter(colourEnabled(io.stdout, env));
  const lines = formatEngine(report, localReports, paint);
  if (showLocal) {
    lines.push("", `Development engines${root === undefined ? "" : " (bash scripts/engine.sh up|down a|b|all)"}:`);
    for (const local of localReports) {
      const state = local.up ? paint("green", "up  ") : paint("red", "down");
      lines.push(`  ${local.id}  ${state}  ${local.address}  ${local.version ?? local.label}`);
    }
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  return ok ? 0 : 4;
}

function formatEngine(report: EngineReport, locals: readonly LocalReport[], paint: Painter): string[] {
  if (report.address === null) {
    const up = locals.find((local) => local.id === "b" && local.up) ?? locals.find((local) => local.up);
    return [
      `Engine: ${paint("red", "none")}: ${report.error ?? "no address"}`,
      `  hint: ${up === undefined ? "start one, or " : `export DOCKER_HOST=${up.address.replace(/^docker\+/, "")} (engine ${up.id.toUpperCase()} is up), or `}pass --engine`,
    ];
  }
  const lines = [`Engine: ${report.address} (${report.source === "option" ? "--engine" : report.source === "default" ? "the default socket" : `from ${report.source ?? ""}`})`];
  if (!report.answers) {
    lines.push(`  answers: ${paint("red", "no")}: ${report.error ?? "no reply"}`);
    lines.push("  hint: start it (this repository's: chutes-image engine up), or point DOCKER_HOST / BUILDKIT_HOST elsewhere");
    return lines;
  }
  const workers = report.workers ?? [];
  const platforms = [...new Set(workers.flatMap((worker) => worker.platforms))];
  lines.push(`  answers: ${paint("green", "yes")} in ${report.ms ?? 0} ms${report.version === undefined ? "" : `, ${report.version}`}`);
  lines.push(
    `  BuildKit: ${workers.length} worker${workers.length === 1 ? "" : "s"}${platforms.length === 0 ? "" : `, ${platforms.slice(0, 4).join(" ")}${platforms.length > 4 ? ` (+${platforms.length - 4})` : ""}`}`,
  );
  return lines;
}

async function checkEngine(engine: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<EngineReport> {
  // Loaded here: gRPC and protobuf would slow every other command's start.
  const { BuildKitError, connectBuildKit, formatAddress, resolveAddress } = await import("@chutes/buildkit");
  let address: EngineAddress;
  try {
    address = resolveAddress({ env, ...(engine === undefined ? {} : { address: engine }) });
  } catch (error) {
    if (!(error instanceof BuildKitError)) throw error;
    if (error.code === "invalid-address") throw new InvalidAddress(error.message);
    return { address: null, source: null, kind: null, answers: false, error: error.message };
  }
  const base = { address: formatAddress(address), source: address.source, kind: address.kind === "auto" ? null : address.kind };
  const started = Date.now();
  const signal = AbortSignal.timeout(STATUS_TIMEOUT_MS);
  let client;
  try {
    // The same inputs as resolveAddress above (and as build): DOCKER_TLS_VERIFY and friends apply alike.
    client = await connectBuildKit({ env, ...(engine === undefined ? {} : { address: engine }), connectTimeoutMs: STATUS_TIMEOUT_MS, signal });
    const workers = await client.control.listWorkers([], { signal });
    const ms = Date.now() - started;
    const api = apiTarget(address);
    const version = client.kind === "docker" && api !== undefined ? await dockerVersion(api) : undefined;
    return {
      ...base,
      address: client.address,
      kind: client.kind,
      answers: true,
      ms,
      ...(version === undefined ? {} : { version }),
      workers: workers.map((worker) => ({
        id: worker.id,
        platforms: worker.platforms.map((platform) => [platform.os, platform.architecture, platform.variant].filter((part) => part !== undefined && part !== "").join("/")),
      })),
    };
  } catch (error) {
    if (error instanceof BuildKitError) {
      return { ...base, answers: false, error: signal.aborted ? `no answer within ${STATUS_TIMEOUT_MS} ms` : error.message };
    }
    throw error;
  } finally {
    await client?.close();
  }
}

async function checkLocal(local: LocalEngine): Promise<LocalReport> {
  const address = `docker+unix://${local.socket}`;
  if (!existsSync(local.socket)) return { id: local.id, label: local.label, address, up: false };
  const version = await dockerVersion({ socketPath: local.socket });
  return { id: local.id, label: local.label, address, up: version !== undefined, ...(version === undefined ? {} : { version }) };
}

/** Where to send a plain HTTP Engine API call; undefined for TLS addresses (not worth a status line). */
type ApiTarget = { readonly socketPath: string } | { readonly host: string; readonly port: number };

function apiTarget(address: EngineAddress): ApiTarget | undefined {
  if (address.network === "unix") return { socketPath: address.path };
  return address.dockerCertPath === undefined ? { host: address.host, port: address.port } : undefined;
}

/** `Docker 26.1.5+dfsg1, API 1.45` from the Engine API's GET /version; undefined when it does not answer. */
function dockerVersion(target: ApiTarget): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ ...target, method: "GET", path: "/version", headers: { host: "docker" }, timeout: STATUS_TIMEOUT_MS }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        try {
          const parsed = JSON.parse(body) as { Version?: unknown; ApiVersion?: unknown };
          resolve(
            res.statusCode === 200 && typeof parsed.Version === "string"
              ? `Docker ${parsed.Version}${typeof parsed.ApiVersion === "string" ? `, API ${parsed.ApiVersion}` : ""}`
              : undefined,
          );
        } catch {
          resolve(undefined);
        }
      });
      res.on("error", () => {
        resolve(undefined);
      });
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", () => {
      resolve(undefined);
    });
    req.end();
  });
}
