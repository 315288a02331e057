// Seed: `.with_env` signature.
//   def with_env(self, key: str, value: str) -> Image
// A signature, not an image: checked at compile time against ours (which also takes options).
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's signature of `with_env`, in TypeScript. */
export type WithEnv = (key: string, value: string) => Image;
/** Compiles only if `Image#withEnv` can be called as the seed's `with_env`. */
export type WithEnvMatchesSeed = Expect<Image["withEnv"] extends WithEnv ? true : false>;
