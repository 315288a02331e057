import { defineProject, mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.ts";

// The packages are built once (globalSetup); packing, `npm install` from the registry, `tsc` and the changesets
// commands run once per file, in `beforeAll`.
export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: "consumer-check",
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      globalSetup: ["test/build.global.ts"],
      hookTimeout: 180_000,
      testTimeout: 60_000,
    },
  }),
);
