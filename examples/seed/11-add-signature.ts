// Seed: `.add` signature.
//   def add(self, *args, **kwargs) -> Image
// A signature, not an image. Every call in the seed is add(source, destination); ours is
// add(src, dest, options?), checked at compile time against that use.
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's `add`, as every seed example calls it. */
export type Add = (src: string, dest: string) => Image;
/** Compiles only if `Image#add` can be called as the seed calls `add`. */
export type AddMatchesSeed = Expect<Image["add"] extends Add ? true : false>;
