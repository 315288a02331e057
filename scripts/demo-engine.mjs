#!/usr/bin/env node
// Helpers of scripts/demo.sh, through the Docker Engine API (no docker CLI needed):
//   node scripts/demo-engine.mjs find
//       prints the address of a Docker Engine that answers GET /_ping, as `docker+unix://...` or `docker+tcp://...`:
//       DOCKER_HOST when set (and only it: an explicit choice is never replaced), else /var/run/docker.sock, else
//       this project's engine B, then A (scripts/engine.sh). Prints nothing and exits 1 when none answers.
//   node scripts/demo-engine.mjs run <address> <image> [port]
//       runs the image with host networking (the project's engines have no bridge network), waits for its HTTP
//       service to answer GET / on the port (default 8000, passed as `--port`), prints the answers to GET / and
//       GET /health, then stops and removes the container, whatever happened.

import { request } from "node:http";

const PROJECT_ENGINES = ["/run/chutes-image/b/docker.sock", "/run/chutes-image/a/docker.sock"];

/** `{ socketPath }` or `{ host, port }` for an address (`unix://`, `tcp://`, with or without `docker+`). */
function target(address) {
  const plain = address.replace(/^docker\+/, "");
  if (plain.startsWith("unix://")) return { socketPath: plain.slice("unix://".length) };
  if (plain.startsWith("tcp://")) {
    const url = new URL(`http://${plain.slice("tcp://".length)}`);
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new Error(`unsupported engine address ${address} (unix:// or tcp:// only)`);
}

function api(address, method, path, body, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        ...target(address),
        method,
        path,
        timeout: timeoutMs,
        headers: { host: "docker", ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": payload.length }) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

async function answers(address) {
  try {
    return (await api(address, "GET", "/_ping", undefined, 2000)).status === 200;
  } catch {
    return false;
  }
}

async function find() {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== "") {
    const address = dockerHost.startsWith("docker+") ? dockerHost : `docker+${dockerHost}`;
    if (await answers(address)) return address;
    console.error(`demo: DOCKER_HOST=${dockerHost} does not answer; unset it to use (or start) this project's engine`);
    return undefined;
  }
  for (const socket of ["/var/run/docker.sock", ...PROJECT_ENGINES]) {
    const address = `docker+unix://${socket}`;
    if (await answers(address)) return address;
  }
  return undefined;
}

/** The log stream of a container without a TTY: 8-byte frame headers before each chunk. */
function demuxLogs(buffer) {
  const out = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    out.push(buffer.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  return out.join("");
}

function get(host, port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: 2000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

async function run(address, image, port) {
  const host = "host" in target(address) ? target(address).host : "127.0.0.1";
  const name = `chutes-demo-${process.pid}`;
  const created = await api(address, "POST", `/containers/create?name=${name}`, {
    Image: image,
    Cmd: ["--port", String(port)],
    HostConfig: { NetworkMode: "host" },
  });
  if (created.status !== 201) throw new Error(`creating the container failed (${created.status}): ${created.body.toString().trim()}`);
  const id = JSON.parse(created.body.toString()).Id;
  const started = Date.now();
  try {
    const start = await api(address, "POST", `/containers/${id}/start`);
    if (start.status !== 204) throw new Error(`starting the container failed (${start.status}): ${start.body.toString().trim()}`);
    console.log(`demo: container ${id.slice(0, 12)} (${image}) started with host networking; waiting for http://${host}:${port}/`);
    for (;;) {
      try {
        const root = await get(host, port, "/");
        const health = await get(host, port, "/health");
        console.log(`demo: answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        console.log(`GET /        ${root.status} ${root.text.trim()}`);
        console.log(`GET /health  ${health.status} ${health.text.trim()}`);
        return;
      } catch {
        const state = JSON.parse((await api(address, "GET", `/containers/${id}/json`)).body.toString()).State;
        if (!state.Running) throw new Error(`the container exited with code ${state.ExitCode}`);
        if (Date.now() - started > 30_000) throw new Error("the service did not answer within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    const logs = await api(address, "GET", `/containers/${id}/logs?stdout=1&stderr=1&tail=30`).catch(() => undefined);
    if (logs !== undefined) console.error(`demo: the container's last output:\n${demuxLogs(logs.body)}`);
    throw error;
  } finally {
    await api(address, "POST", `/containers/${id}/stop?t=2`).catch(() => undefined);
    await api(address, "DELETE", `/containers/${id}?force=1`).catch(() => undefined);
    console.log(`demo: container ${id.slice(0, 12)} stopped and removed`);
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === "find") {
    const address = await find();
    if (address === undefined) process.exit(1);
    console.log(address);
  } else if (command === "run" && args.length >= 2) {
    await run(args[0], args[1], Number(args[2] ?? 8000));
  } else {
    console.error("usage: node scripts/demo-engine.mjs find | run <address> <image> [port]");
    process.exit(2);
  }
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
