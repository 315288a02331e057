// Seed: `.from_base` signature.
//   def from_base(self, base_image: str) -> Image
// A signature, not an image: checked at compile time against ours (which also takes an Image as a stage).
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's signature of `from_base`, in TypeScript. */
export type FromBase = (baseImage: string) => Image;
/** Compiles only if `Image#fromBase` can be called as the seed's `from_base`. */
export type FromBaseMatchesSeed = Expect<Image["fromBase"] extends FromBase ? true : false>;
