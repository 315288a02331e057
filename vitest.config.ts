import { defineConfig } from "vitest/config";

// Running `vitest` at the root runs every package as a project; `pnpm test` runs them through turbo.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "examples", "tools/*"],
  },
});
