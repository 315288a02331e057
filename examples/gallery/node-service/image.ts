// A multi-stage Node service (see README.md): the build stage installs every dependency with `npm ci` (npm's cache
// on a BuildKit cache mount), compiles src/ with tsc and prunes the dev dependencies; the runtime stage, on the same
// slim base, copies only dist/ and the production node_modules (`copyFrom`), runs as the base's unprivileged `node`
// user, and declares its port and a healthcheck. Render-only here: `npm ci` needs the npm registry.
import { Image } from "@chutes/image-core";

/** Both stages: node_modules built in one must run in the other (native modules, the same Node ABI). */
export const NODE_BASE = "node:20-bookworm-slim";

/** Build stage: all dependencies, the compile, then only the production dependencies are left. */
export const build = new Image("gallery", "build", "1.0.0")
  .fromBase(NODE_BASE)
  .setWorkdir("/app")
  // The manifests alone first: editing src/ does not re-run the install.
  .copy(["package.json", "package-lock.json"], "./")
  .runCommand("npm ci --no-audit --no-fund", { mounts: [{ type: "cache", target: "/root/.npm" }] })
  .copy("tsconfig.build.json", "./")
  .copy("src/", "./src/")
  .runCommand("npm run build && npm prune --omit=dev");

/** The service image: dist/ and the production node_modules from the build stage, nothing else of it. */
export const image = new Image("gallery", "node-service", "1.0.0")
  .fromBase(NODE_BASE)
  .withEnv("NODE_ENV", "production")
  .withEnv("PORT", "3000")
  .setWorkdir("/app")
  .copy("package.json", "./")
  .copyFrom(build, "/app/node_modules", "./node_modules")
  .copyFrom(build, "/app/dist", "./dist")
  .withLabel("org.opencontainers.image.title", "node-service")
  .exposePort(3000)
  .withHealthcheck(["node", "dist/healthcheck.js"], { interval: "30s", timeout: "3s", startPeriod: "5s", retries: 3 })
  // The official node images have the user `node` as 1000:1000; numeric, so a platform can see it is not root.
  .setUser("1000:1000")
  // node itself as PID 1 (no `npm start`): it gets SIGTERM, which server.ts handles.
  .withEntrypoint(["node", "dist/server.js"]);
