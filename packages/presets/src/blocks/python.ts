// A Python environment for pip: a virtual environment, from the distribution's python3 (`withPythonVenv`) or from a
// uv-managed CPython (`withUv`). A venv is needed on Ubuntu 24.04, whose python3 is EXTERNALLY-MANAGED (PEP 668:
// `pip install` outside a venv fails), and it is the same recipe on 20.04 and 22.04, so the building blocks always
// make one. Both put the venv first on PATH and set VIRTUAL_ENV, so later `pip` and `python` are the venv's.

import { Image, ValidationError } from "@chutes/image-core";
import { ubuntuRelease } from "../compat.ts";
import { toolTable } from "../data/tools.ts";
import { parseCudaImage } from "../cuda-image.ts";
import { definePreset } from "../preset.ts";
import type { Preset } from "../preset.ts";
import { pipCacheMounts, runPip, shellWord } from "./pip.ts";

/** Options of `withPythonVenv`. */
export interface PythonVenvOptions {
  /** Where the venv goes. Default `/opt/venv`. */
  readonly path?: string;
  /**
   * The Python the base image's distribution ships (`3.12` on Ubuntu 24.04). Checked against `nvidia/cuda` and
   * `ubuntu:` bases: a different version needs `withUv`. Recorded for later presets (`createMlImage` reads it).
   */
  readonly python?: string;
  /** Also install python3-dev (headers, for building extensions). Default false. */
  readonly dev?: boolean;
  /** Packages to upgrade in the venv right away (`["pip", "setuptools", "wheel"]`); `false` for none. Default `["pip"]`. */
  readonly upgrade?: readonly string[] | false;
}

/**
 * A venv from the distribution's python3 (Debian/Ubuntu): installs python3 and python3-venv, creates the venv, puts
 * it first on PATH, and upgrades pip in it. Throws a `ValidationError` (`python-not-system`) when `python` is not
 * the Python of an Ubuntu base it can read.
 */
export function withPythonVenv(options: PythonVenvOptions = {}): Preset {
  const path = options.path ?? "/opt/venv";
  const upgrade = options.upgrade === false ? [] : (options.upgrade ?? ["pip"]);
  return definePreset({
    name: "python-venv",
    sets: { env: ["VIRTUAL_ENV"], paths: [path] },
    ...(options.python === undefined ? {} : { notes: { python: options.python } }),
    apply: (image) => {
      checkSystemPython(image, options.python);
      let next = image
        .aptInstall(["python3", "python3-venv", ...(options.dev === true ? ["python3-dev"] : [])])
        .runCommand(`python3 -m venv ${shellWord(path)}`)
        .withEnv("VIRTUAL_ENV", path)
        .withEnv("PATH", `${path}/bin:$PATH`);
      if (upgrade.length > 0) next = runPip(next, "install", ["--upgrade", ...upgrade.map(shellWord)]);
      return next;
    },
  });
}

/** Options of `withUv`. */
export interface UvOptions {
  /** CPython minor version uv installs (`3.11`). */
  readonly python: string;
  /** Where the venv goes. Default `/opt/venv`. */
  readonly path?: string;
  /** Where uv puts the interpreters. Default `/opt/python`. */
  readonly pythonDir?: string;
  /** `ghcr.io/astral-sh/uv` tag to copy uv from. Default: the table's (see the README's data section). */
  readonly version?: string;
}

/**
 * A venv on a uv-managed CPython, for a Python the distribution does not ship: copies `uv` and `uvx` from the uv
 * image (a build stage), has uv download the interpreter, and creates a venv seeded with pip. Needs network access
 * at build time (python-build-standalone downloads).
 */
export function withUv(options: UvOptions): Preset {
  const path = options.path ?? "/opt/venv";
  const pythonDir = options.pythonDir ?? "/opt/python";
  const version = options.version ?? toolTable.uv.tag;
  return definePreset({
    name: "uv-python",
    sets: { env: ["VIRTUAL_ENV", "UV_PYTHON_INSTALL_DIR", "UV_LINK_MODE"], paths: [path, pythonDir] },
    notes: { python: options.python },
    apply: (image) => {
      if (!/^3\.\d+$/.test(options.python)) {
        throw new ValidationError([
          {
            code: "invalid-python-version",
            severity: "error",
            method: "withUv",
            path: ["python"],
            value: options.python,
            message: `Python version ${JSON.stringify(options.python)} is not valid; give "3.X", e.g. "3.12"`,
          },
        ]);
      }
      const uv = uvStage(version);
      const next = image
        .aptInstall(["ca-certificates"])
        .copyFrom(uv, ["/uv", "/uvx"], "/usr/local/bin/")
        .withEnv("UV_PYTHON_INSTALL_DIR", pythonDir)
        .withEnv("UV_LINK_MODE", "copy");
      const mounts = pipCacheMounts(next);
      const noCache = mounts.length > 0 ? "" : " --no-cache";
      return next
        .runCommand(`uv venv${noCache} --seed --python ${options.python} ${shellWord(path)}`, mounts.length > 0 ? { mounts } : {})
        .withEnv("VIRTUAL_ENV", path)
        .withEnv("PATH", `${path}/bin:$PATH`);
    },
  });
}

/** One stage Image per uv version, shared (Images are immutable), so two stages using withUv copy from one uv stage. */
const uvStages = new Map<string, Image>();

function uvStage(version: string): Image {
  let stage = uvStages.get(version);
  if (stage === undefined) {
    stage = new Image("astral-sh", "uv", version).fromBase(`${toolTable.uv.image}:${version}`);
    uvStages.set(version, stage);
  }
  return stage;
}

/** The Python of the image's base when it is an Ubuntu release this package knows (nvidia/cuda or ubuntu:). */
export function systemPythonOf(image: Image): string | undefined {
  const stage = image.toJSON().stages.at(-1);
  const base = stage?.base;
  if (base === undefined || base === "scratch" || "stage" in base) return undefined;
  const ubuntu = parseCudaImage(base.image)?.ubuntu ?? /^(?:docker\.io\/(?:library\/)?)?ubuntu:(\d{2}\.\d{2})$/.exec(base.image)?.[1];
  return ubuntu === undefined ? undefined : ubuntuRelease(ubuntu)?.python;
}

function checkSystemPython(image: Image, python: string | undefined): void {
  if (python === undefined) return;
  const system = systemPythonOf(image);
  if (system === undefined || system === python) return;
  throw new ValidationError([
    {
      code: "python-not-system",
      severity: "error",
      method: "withPythonVenv",
      path: ["python"],
      value: python,
      message: `the base image's python3 is ${system}, not ${python}; use withUv({ python: "${python}" }) for another version, or drop the python option`,
    },
  ]);
}
