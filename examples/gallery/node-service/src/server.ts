// The service: GET / answers with a JSON greeting, GET /health with ok. Its configuration comes from the
// environment, checked with zod (the one production dependency) before the server starts.
import { createServer } from "node:http";
import { z } from "zod";

const config = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    GREETING: z.string().min(1).default("hello from node-service"),
  })
  .parse(process.env);

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/health") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
  } else if (request.method === "GET" && request.url === "/") {
    const body = { message: config.GREETING, node: process.version, uid: process.getuid?.() ?? null };
    response.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
  } else {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
});

server.listen(config.PORT, () => {
  console.log(`node-service listening on :${String(config.PORT)}`);
});

// `docker stop` sends SIGTERM to PID 1: finish the open requests, then exit.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});
