// Loads a TypeScript (or JavaScript) file that defines an image: its named export `image`, or its default export.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ChutesError, Image } from "@chutes/image-core";
import type { ImageSpec, Issue } from "@chutes/image-core";
import { createJiti } from "jiti";

/**
 * What the CLI needs from a loaded image. The definition file may import its own copy of @chutes/image-core
 * (its node_modules, its build), so this is structural, recognised by the package's global brand.
 */
export interface LoadedImage {
  toJSON(): ImageSpec;
  validate(): Issue[];
}

/**
 * Loads `file` (relative to `cwd`) and returns the image it exports. Throws a ChutesError (`load-failed`,
 * `no-image-export`) that names the file as given and the fix.
 */
export async function loadImage(file: string, options: { readonly cwd?: string; readonly exportName?: string } = {}): Promise<LoadedImage> {
  const { exportName } = options;
  const path = resolve(options.cwd ?? process.cwd(), file);
  if (!existsSync(path)) {
    throw new ChutesError("load-failed", `could not load ${file}: no such file (looked for ${path})`);
  }
  const jiti = createJiti(pathToFileURL(path).href, { moduleCache: false, fsCache: false });
  let module: Record<string, unknown>;
  try {
    module = await jiti.import<Record<string, unknown>>(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ChutesError("load-failed", `could not load ${file}: ${message}`, { cause: error });
  }
  const names = exportName === undefined ? ["image", "default"] : [exportName];
  for (const name of names) {
    let value = module[name];
    if (typeof value === "function" && name !== "default") value = (value as () => unknown)();
    if (Image.isImage(value)) return value;
  }
  const found = Object.keys(module).filter((key) => Image.isImage(module[key]));
  const hint =
    found.length > 0
      ? `it exports images as ${found.join(", ")}; pass --export ${found[0] ?? ""}`
      : "export one, e.g. `export const image = new Image(\"myuser\", \"myapp\", \"1.0.0\").fromBase(...)`";
  throw new ChutesError(
    "no-image-export",
    `${file} has no ${exportName === undefined ? "`image` or default" : `\`${exportName}\``} export that is an Image; ${hint}`,
  );
}
