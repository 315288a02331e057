// The image's HEALTHCHECK: exit 0 when the service answers ok on /health (PORT, default 3000).
const port = process.env.PORT ?? "3000";

fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })
  .then(async (response) => response.ok && (await response.text()) === "ok\n")
  .then(
    (healthy) => process.exit(healthy ? 0 : 1),
    () => process.exit(1),
  );
