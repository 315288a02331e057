// Seed: `.run_command` signature.
//   def run_command(self, command: str) -> Image
// A signature, not an image: checked at compile time against ours (which also takes argv and options).
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's signature of `run_command`, in TypeScript. */
export type RunCommand = (command: string) => Image;
/** Compiles only if `Image#runCommand` can be called as the seed's `run_command`. */
export type RunCommandMatchesSeed = Expect<Image["runCommand"] extends RunCommand ? true : false>;
