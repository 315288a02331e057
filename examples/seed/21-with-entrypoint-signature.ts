// Seed: `.with_entrypoint` signature.
//   def with_entrypoint(self, entrypoint: List[str]) -> Image
// A signature, not an image: checked at compile time against ours.
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's signature of `with_entrypoint`, in TypeScript. */
export type WithEntrypoint = (entrypoint: string[]) => Image;
/** Compiles only if `Image#withEntrypoint` can be called as the seed's `with_entrypoint`. */
export type WithEntrypointMatchesSeed = Expect<Image["withEntrypoint"] extends WithEntrypoint ? true : false>;
