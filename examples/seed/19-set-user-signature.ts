// Seed: `.set_user` signature.
//   def set_user(self, user: str) -> Image
// A signature, not an image: checked at compile time against ours (and its alias withUser).
import type { Image } from "@chutes/image-core";

type Expect<T extends true> = T;

/** The seed's signature of `set_user`, in TypeScript. */
export type SetUser = (user: string) => Image;
/** Compiles only if `Image#setUser` can be called as the seed's `set_user`. */
export type SetUserMatchesSeed = Expect<Image["setUser"] extends SetUser ? true : false>;
/** Compiles only if `Image#withUser` (the seed's `with_user`) can too. */
export type WithUserMatchesSeed = Expect<Image["withUser"] extends SetUser ? true : false>;
