// Loads a TypeScript (or JavaScript) file that defines an image: its named export `image`, or its default export.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
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
  const alias = shippedAliases(path);
  const jiti = createJiti(pathToFileURL(path).href, { moduleCache: false, fsCache: transpileCache(), ...(Object.keys(alias).length === 0 ? {} : { alias }) });
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

/**
 * Where jiti keeps the JavaScript it made of each TypeScript file, keyed by the file's content (so an edit is never
 * served stale). Reusing it skips loading Babel and transpiling on every run after the first: about 200 ms of a
 * warm `chutes-image build` (docs/decisions.md). `JITI_FS_CACHE=false` turns it off, as for jiti itself.
 */
function transpileCache(): string | false {
  return process.env.JITI_FS_CACHE === "false" ? false : join(tmpdir(), "chutes-image-jiti");
}

/** Packages a definition may import that the CLI ships with. */
const SHIPPED = ["@chutes/image-core", "@chutes/presets"] as const;

/**
 * For each shipped package the definition's folder cannot resolve (a fresh `chutes-image init` directory), the
 * CLI's own copy; a package installed next to the definition always wins.
 */
function shippedAliases(path: string): Record<string, string> {
  const fromDefinition = createRequire(path);
  const fromCli = createRequire(import.meta.url);
  const alias: Record<string, string> = {};
  for (const name of SHIPPED) {
    try {
      fromDefinition.resolve(name);
    } catch {
      try {
        alias[name] = fromCli.resolve(name);
      } catch {
        // Not shipped here either: the definition's import fails with its own message.
      }
    }
  }
  return alias;
}
