// The seed's examples are the acceptance suite (issue 2, section 4): every Image that ../seed/*.ts exports is
// valid, renders to its reviewed golden Dockerfile (golden/<file-stem>/<export>.Dockerfile), and renders
// the same bytes every time. Regenerate the goldens with `pnpm --filter @chutes/examples golden`, then review
// the diff.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { byCodeUnit, seedFiles, seedImages } from "./seed-modules.ts";

describe("the seed files", () => {
  it("cover every python block of the seed, in order (01 to 37), plus 23b", () => {
    const numbers = seedFiles.map((seed) => /^(\d+)(b?)-/.exec(seed.file)?.slice(1).join("") ?? seed.file);
    const expected = Array.from({ length: 37 }, (_, i) => String(i + 1).padStart(2, "0"));
    expected.splice(expected.indexOf("23") + 1, 0, "23b");
    expect(numbers).toEqual(expected);
  });

  it.each(seedFiles.map((seed) => [seed.file, seed] as const))(
    "%s exports at least one Image, or is a signature file with type exports only",
    (_file, seed) => {
      if (seed.file.endsWith("-signature.ts")) {
        expect(seed.exports).toEqual([]);
        expect(seed.typeExports.length).toBeGreaterThan(0);
      } else {
        expect(seed.exports.some(({ value }) => Image.isImage(value))).toBe(true);
      }
    },
  );

  it("golden/ holds a Dockerfile for each valid exported Image and nothing else (delete stale ones by hand)", () => {
    const root = fileURLToPath(new URL("../golden/", import.meta.url));
    const onDisk = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
      .filter((path) => !path.startsWith("gallery/")) // the gallery's goldens: test/gallery.test.ts checks them
      .sort(byCodeUnit);
    const expected = seedImages
      .map(({ golden }) => golden.slice("golden/".length))
      .sort(byCodeUnit);
    expect(onDisk).toEqual(expected);
  });
});

describe.each(seedFiles.filter((seed) => seedImages.some((entry) => entry.file === seed.file)).map((seed) => seed.stem))(
  "%s",
  (stem) => {
    const images = seedImages.filter((entry) => entry.stem === stem);
    describe.each(images.map((entry) => [entry.name, entry] as const))("%s", (name, entry) => {
      const { image } = entry;
      it("validates with no issues", () => {
        expect(image.validate()).toEqual([]);
      });

      it(`renders to ${entry.golden}`, async () => {
        await expect(renderDockerfile(image)).toMatchFileSnapshot(`../${entry.golden}`);
      });

      it("renders the same bytes twice, and after a JSON round trip", () => {
        const first = renderDockerfile(image);
        expect(renderDockerfile(image)).toBe(first);
        expect(renderDockerfile(Image.fromJSON(JSON.stringify(image.toJSON())))).toBe(first);
      });
    });
  },
);
