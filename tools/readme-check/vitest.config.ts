import { defineProject, mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.ts";

// One tsc run over every example happens in `beforeAll`.
export default mergeConfig(
  sharedConfig,
  defineProject({
    test: { name: "readme-check", include: ["src/**/*.test.ts", "test/**/*.test.ts"], hookTimeout: 120_000 },
  }),
);
