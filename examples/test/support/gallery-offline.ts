// The gallery's images built offline (gallery-build.integration.test.ts): their remote bases replaced by build stages
// made here from the local Debian image the engines import, with what the remote image would have provided installed
// from Debian's mirror. Unlike seed-offline.ts's BASE_MAP (a base swapped for another reference), a substitute is an
// Image, so the build makes it as a stage of the same build: one definition, one solve, the engine's cache shared.

import { Image } from "@chutes/image-core";
import type { ImageSpec, Stage } from "@chutes/image-core";
import { DEBIAN } from "./seed-offline.ts";

/**
 * What the official `python:3.12-slim` image gives a Dockerfile, from Debian bookworm's packages: `python` and
 * `python3` (3.11 here, not 3.12), `pip`, the `venv` module with ensurepip, CA certificates, and no PEP 668 marker
 * (the official images have none, so `pip install` as root works there as here).
 */
export const PYTHON_SLIM_SUBSTITUTE = new Image("offline", "python-slim", "bookworm")
  .fromBase(DEBIAN)
  .aptInstall(["python3", "python3-venv", "python3-pip", "python-is-python3"])
  .runCommand("rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED");

/** The remote bases of the gallery's buildable images, and what they are built from here. */
export const SUBSTITUTES: Readonly<Record<string, Image>> = {
  "python:3.12-slim": PYTHON_SLIM_SUBSTITUTE,
};

/** A stage id for a substitute that no stage of `taken` has. */
function freeId(wanted: string, taken: ReadonlySet<string>): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}-${n}`;
  return id;
}

/**
 * The image with every stage based on a key of `substitutes` based on that substitute instead, added as earlier
 * stages (ids prefixed `offline-`; one copy per substitute, shared by the stages that use it). Throws on a remote
 * base `substitutes` does not list, so a new base cannot slip through unbuilt.
 */
export function substituteBases(image: Image, substitutes: Readonly<Record<string, Image>> = SUBSTITUTES): Image {
  const spec = image.toJSON();
  const taken = new Set(spec.stages.map((stage) => stage.id));
  const added: Stage[] = [];
  const replacement = new Map<string, string>();
  const stageFor = (reference: string): string => {
    const known = replacement.get(reference);
    if (known !== undefined) return known;
    const substitute = substitutes[reference];
    if (substitute === undefined) throw new Error(`no offline substitute for the base ${reference}`);
    const stages = substitute.toJSON().stages;
    const ids = new Map<string, string>();
    for (const stage of stages) {
      const id = freeId(`offline-${stage.id}`, taken);
      taken.add(id);
      ids.set(stage.id, id);
    }
    for (const stage of stages) {
      const base = stage.base;
      const renamedBase = base !== "scratch" && "stage" in base ? { stage: ids.get(base.stage) ?? base.stage } : base;
      const steps = stage.steps.map((step) => (step.kind === "copyFrom" ? { ...step, stage: ids.get(step.stage) ?? step.stage } : step));
      added.push({ ...stage, id: ids.get(stage.id) ?? stage.id, base: renamedBase, steps });
    }
    const last = ids.get(stages.at(-1)?.id ?? "") ?? "";
    replacement.set(reference, last);
    return last;
  };
  const stages = spec.stages.map((stage): Stage => {
    const base = stage.base;
    if (base === "scratch" || "stage" in base || base.image === DEBIAN) return stage;
    return { ...stage, base: { stage: stageFor(base.image) } };
  });
  const substituted: ImageSpec = { ...spec, stages: [...added, ...stages] };
  return Image.fromJSON(substituted);
}

/** The gallery's examples gallery-build.integration.test.ts builds here (the others are render-only). */
export const BUILT_HERE = ["custom-preset", "python-service"] as const;
