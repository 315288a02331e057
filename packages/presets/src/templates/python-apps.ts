// The seed's CPU-side examples: createOptimizedImage ("Build Optimization") and createMinimalImage ("Size
// Optimization"), on the official python images, with versions resolved and checked:
// - createMinimalImage: the seed's `python:3.11-alpine` cannot install torch: PyTorch publishes manylinux (glibc)
//   wheels only, no musllinux ones, so pip has nothing to install there. It uses `python:<version>-slim` and the
//   CPU wheel index, with torch pinned for that Python; an Alpine `base` is refused with that explanation.
// - requirements are copied and installed before the application code (a code change keeps the install cached),
//   `copy` replaces `add` for local files, and the user is created (nonRootUser) instead of only switched to.

import { ValidationError } from "@chutes/image-core";
import type { Image } from "@chutes/image-core";
import { nonRootUser } from "../blocks/user.ts";
import { resolveTorch } from "../resolve.ts";
import { installersOf, startImage } from "./options.ts";
import type { Installers } from "./options.ts";

/** Options of `createOptimizedImage` and `createMinimalImage`. */
export interface PythonAppOptions {
  readonly username?: string;
  readonly name?: string;
  readonly tag?: string;
  readonly readme?: string;
  /** CPython minor version of the `python:<version>-slim` base. Default `3.11`, the seed's. */
  readonly python?: string;
  /** Start from this image instead (a `python:` image or a mirror of one). */
  readonly base?: string;
  readonly installers?: Partial<Installers>;
}

/** The seed's layer-caching example: system packages, then requirements, then code, then runtime configuration. */
export function createOptimizedImage(options: PythonAppOptions = {}): Image {
  const python = checkPython(options.python ?? "3.11", "createOptimizedImage");
  const install = installersOf(options);
  return (
    startImage(options, { name: "optimized-app" }, `python:${python}-slim`)
      // System packages (changes rarely)
      .aptInstall(["build-essential", "git", "curl"])
      // Python dependencies (changes occasionally)
      .copy("requirements.txt", "/tmp/requirements.txt")
      .with(install.pip([], { requirements: "/tmp/requirements.txt" }))
      // Application code (changes frequently)
      .copy("src/", "/app/src/")
      // Runtime configuration
      .withEnv("PYTHONPATH", "/app")
      .with(nonRootUser({ uid: 1000, gid: 1000, workdir: "/app" }))
      .exposePort(8000)
      .withCmd(["python", "-m", "src.main"])
  );
}

/** The seed's size example: CPU-only torch on a slim base, the app, and the `nobody` user. */
export function createMinimalImage(options: PythonAppOptions & { readonly torch?: string } = {}): Image {
  const python = checkPython(options.python ?? "3.11", "createMinimalImage");
  if (options.base !== undefined && /alpine/i.test(options.base)) {
    throw new ValidationError([
      {
        code: "musl-unsupported",
        severity: "error",
        method: "createMinimalImage",
        path: ["base"],
        value: options.base,
        message: `${options.base} is musl-based (Alpine), and PyTorch publishes glibc (manylinux) wheels only; use python:${python}-slim`,
      },
    ]);
  }
  const resolution = resolveTorch({ cuda: "cpu", python, ...(options.torch === undefined ? {} : { torch: options.torch }) });
  const install = installersOf(options);
  return (
    startImage(options, { name: "minimal-app" }, `python:${python}-slim`)
      // Only the CPU build of torch
      .with(install.torch(resolution, ["torch"]))
      // Dependencies, then the one file the app needs
      .copy("requirements-minimal.txt", "/tmp/requirements.txt")
      .with(install.pip([], { requirements: "/tmp/requirements.txt" }))
      .copy("src/main.py", "/app/main.py")
      // Minimal runtime
      .setWorkdir("/app")
      .setUser("65534:65534") // nobody
      .withCmd(["python", "main.py"])
  );
}

function checkPython(python: string, method: string): string {
  if (/^3\.\d+$/.test(python)) return python;
  throw new ValidationError([
    { code: "invalid-python-version", severity: "error", method, path: ["python"], value: python, message: `Python version "${python}" is not valid; give "3.X", e.g. "3.11"` },
  ]);
}
