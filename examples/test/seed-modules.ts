/// <reference types="vite/client" />
// The seed's examples (../seed/*.ts), loaded once for every test: each file's exports in declaration order,
// and the Images among them with the path of their golden Dockerfile.
import { Image } from "@chutes/image-core";

export interface SeedExport {
  readonly name: string;
  readonly value: unknown;
}

export interface SeedFile {
  /** `01-class-definition.ts` */
  readonly file: string;
  /** `01-class-definition` */
  readonly stem: string;
  /** Runtime exports, in the order the file declares them. */
  readonly exports: readonly SeedExport[];
  /** Type-only exports (`export type X`), in declaration order. */
  readonly typeExports: readonly string[];
}

export interface SeedImage {
  readonly file: string;
  readonly stem: string;
  readonly name: string;
  readonly image: Image;
  /** `golden/<stem>/<name>.Dockerfile`, relative to the examples folder. */
  readonly golden: string;
}

const modules = import.meta.glob<Record<string, unknown>>("../seed/*.ts", { eager: true });
const sources = import.meta.glob<string>("../seed/*.ts", { eager: true, query: "?raw", import: "default" });

/** Code-unit order (not locale order, which ignores the `-` in `23-` vs `23b-`). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function declarationOrder(source: string, kind: "value" | "type"): string[] {
  const pattern =
    kind === "value"
      ? /^export\s+(?:const|let|function|class)\s+([A-Za-z_$][\w$]*)/gm
      : /^export\s+(?:type|interface)\s+([A-Za-z_$][\w$]*)/gm;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? "");
}

export const seedFiles: readonly SeedFile[] = Object.keys(modules)
  .sort(byCodeUnit)
  .map((path): SeedFile => {
    const file = path.slice(path.lastIndexOf("/") + 1);
    const module = modules[path] ?? {};
    const source = sources[path] ?? "";
    const order = declarationOrder(source, "value");
    const names = Object.keys(module).sort((a, b) => order.indexOf(a) - order.indexOf(b) || byCodeUnit(a, b));
    return {
      file,
      stem: file.replace(/\.ts$/, ""),
      exports: names.map((name) => ({ name, value: module[name] })),
      typeExports: declarationOrder(source, "type"),
    };
  });

export const seedImages: readonly SeedImage[] = seedFiles.flatMap((seed) =>
  seed.exports.flatMap(({ name, value }) =>
    Image.isImage(value)
      ? [{ file: seed.file, stem: seed.stem, name, image: value, golden: `golden/${seed.stem}/${name}.Dockerfile` }]
      : [],
  ),
);
