// Seed: `.set_workdir` signature.
//   def set_workdir(self, directory: str) -> Image
// A signature, not an image: checked at compile time against ours.
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's signature of `set_workdir`, in TypeScript. */
export type SetWorkdir = (directory: string) => Image;
/** Compiles only if `Image#setWorkdir` can be called as the seed's `set_workdir`. */
export type SetWorkdirMatchesSeed = Expect<Image["setWorkdir"] extends SetWorkdir ? true : false>;
