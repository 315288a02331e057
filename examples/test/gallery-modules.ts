/// <reference types="vite/client" />
// The gallery (../gallery/<example>/image.ts), loaded once for every test: each example's exports, and the Images
// among them with the path of their golden Dockerfile (golden/gallery/<example>/<export>.Dockerfile).
import { Image } from "@chutes/image-core";
import { byCodeUnit } from "./seed-modules.ts";

export interface GalleryExample {
  /** `python-service` */
  readonly name: string;
  /** The module's exports. */
  readonly exports: Readonly<Record<string, unknown>>;
}

export interface GalleryImage {
  readonly example: string;
  readonly name: string;
  readonly image: Image;
  /** `golden/gallery/<example>/<name>.Dockerfile`, relative to the examples folder. */
  readonly golden: string;
}

const modules = import.meta.glob<Record<string, unknown>>("../gallery/*/image.ts", { eager: true });

export const galleryExamples: readonly GalleryExample[] = Object.keys(modules)
  .sort(byCodeUnit)
  .map((path) => ({ name: path.split("/").at(-2) ?? path, exports: modules[path] ?? {} }));

export const galleryImages: readonly GalleryImage[] = galleryExamples.flatMap((example) =>
  Object.entries(example.exports)
    .sort(([a], [b]) => byCodeUnit(a, b))
    .flatMap(([name, value]) =>
      Image.isImage(value) ? [{ example: example.name, name, image: value, golden: `golden/gallery/${example.name}/${name}.Dockerfile` }] : [],
    ),
);

/** The `image` export of an example (what the CLI loads), or a thrown error naming the example. */
export function galleryImage(example: string, name = "image"): Image {
  const found = galleryImages.find((entry) => entry.example === example && entry.name === name);
  if (found === undefined) throw new Error(`the gallery has no ${example}/${name} image`);
  return found.image;
}
