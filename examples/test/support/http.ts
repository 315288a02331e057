// HTTP against a service a test started with host networking: a free port to give it, and GET with retries while it
// starts.

import { request } from "node:http";
import { createServer } from "node:net";

/** A TCP port nothing listens on right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** GET http://127.0.0.1:<port><path>: status and body, retried until it answers or `timeoutMs` passes. */
export async function httpGet(port: number, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, timeout: 2000 }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => { resolve({ status: res.statusCode ?? 0, body }); });
        });
        req.on("timeout", () => req.destroy(new Error("timed out")));
        req.on("error", reject);
        req.end();
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
