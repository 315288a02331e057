// Shared by every package's vitest.config.ts: tests resolve sibling packages to their source through the
// "@chutes/source" export condition (STYLE.md item 3), so no build is needed before testing.
import { defaultServerConditions } from "vite";
import type { ViteUserConfig } from "vitest/config";

export const sourceConditions = ["@chutes/source", ...defaultServerConditions];

export const sharedConfig: ViteUserConfig = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
};
