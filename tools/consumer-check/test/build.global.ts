// Builds the publishable packages once, before this project's test files run (in parallel) against their dist.
// After scripts/test.sh's `turbo run build` this is a cache hit that takes under a second and writes nothing.
import { buildPackages } from "../src/pack.ts";
import { publishablePackages } from "../src/workspace.ts";

export async function setup(): Promise<void> {
  const ms = await buildPackages(await publishablePackages());
  console.info(`consumer-check: turbo run build took ${String(ms)} ms`);
}
