// Building one image through both back ends and comparing what came out (issue 5 section 3), shared by the seed's
// and the gallery's equivalence tests: the image configs' compared fields from the Engine API, and the file trees
// through the tar exporter, listed with path, type, mode, owner, size, link target and content hash. Timestamps are
// not compared: files that record the time they were written (IGNORED) are left out, and the source mtime in
// Python bytecode is blanked before hashing.

import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { build } from "@chutes/buildkit";
import type { BuildKitClient } from "@chutes/buildkit";
import { renderDockerfile } from "@chutes/dockerfile";
import { Image } from "@chutes/image-core";
import { engineApi } from "@chutes/test-support/engines";
import type { TestEngine } from "@chutes/test-support/engines";
import { listTree, treeLines } from "@chutes/test-support/tar-listing";

/** As llb-equivalence.integration.test.ts lists them: files that record the time they were written. */
const IGNORED = /^var\/(log\/(apt\/(eipp\.log\.xz|history\.log|term\.log)|dpkg\.log|alternatives\.log)|cache\/apt\/(src)?pkgcache\.bin)$/;
/**
 * ldconfig's auxiliary cache records each library's inode, ctime and size (glibc's aux-cache), so it differs between
 * any two runs of an install that runs ldconfig, whichever the back end: a timestamp, not a back-end difference.
 */
const IGNORED_LDCONFIG = /^var\/cache\/ldconfig\/aux-cache$/;

/**
 * A timestamp-based Python bytecode file (PEP 552: flags 0 at bytes 4-7) records its source's mtime at bytes 8-11,
 * and pip and venv compile what they install: those four bytes are blanked, the rest of the file is compared.
 */
function blankPycTimestamp(path: string, data: Buffer): Buffer {
  if (!path.endsWith(".pyc") || data.length < 16 || data.readUInt32LE(4) !== 0) return data;
  const copy = Buffer.from(data);
  copy.fill(0, 8, 12);
  return copy;
}

const CONFIG_FIELDS = ["Env", "Entrypoint", "Cmd", "WorkingDir", "User", "Labels", "ExposedPorts", "Healthcheck"] as const;

/** What the two back ends made of one image. */
export interface Comparison {
  readonly config: { readonly llb: Record<string, unknown>; readonly dockerfile: Record<string, unknown> };
  /**
   * The file trees, or "same-layers" when both images have the same layer diff ids: the same uncompressed layer
   * tars, byte for byte, so the same trees with nothing to export.
   */
  readonly tree: { readonly llb: readonly string[]; readonly dockerfile: readonly string[] } | "same-layers";
}

/** An image's Config fields that are compared (absent, null, empty list and empty map all as null), and its layers. */
export async function inspectImage(engine: TestEngine, ref: string): Promise<{ readonly config: Record<string, unknown>; readonly layers: readonly string[] }> {
  const reply = await engineApi(engine, "GET", `/images/${encodeURIComponent(ref)}/json`);
  if (reply.status !== 200) throw new Error(`GET /images/${ref}/json: ${reply.status} ${reply.body}`);
  const inspected = JSON.parse(reply.body) as { Config?: Record<string, unknown> | null; RootFS?: { Layers?: string[] } };
  const config = inspected.Config ?? {};
  const empty = (value: unknown): boolean =>
    value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && Object.keys(value).length === 0);
  return {
    config: Object.fromEntries(CONFIG_FIELDS.map((field) => [field, empty(config[field]) ? null : config[field]])),
    layers: inspected.RootFS?.Layers ?? [],
  };
}

/** The image's root file system through the tar exporter (a build of just `docker-image://<ref>`), as listing lines. */
async function exportTree(client: BuildKitClient, contextDir: string, ref: string, file: string): Promise<string[]> {
  await build(new Image("chutes-eq", "export").fromBase(ref), { engine: client, contextDir, exporter: { type: "tar", file } });
  try {
    return treeLines(listTree(await readFile(file), blankPycTimestamp)).filter((line) => {
      const path = line.split(" ")[0] ?? "";
      return !IGNORED.test(path) && !IGNORED_LDCONFIG.test(path);
    });
  } finally {
    await rm(file, { force: true });
  }
}

export interface CompareOptions {
  readonly engine: TestEngine;
  readonly client: BuildKitClient;
  readonly contextDir: string;
  /** Where the exported tars go for a moment. */
  readonly work: string;
  /** The two tags to build as: `{ llb, dockerfile }`. */
  readonly tags: { readonly llb: string; readonly dockerfile: string };
  readonly secrets?: Readonly<Record<string, string>>;
}

/**
 * Builds `image` through the LLB back end and through the Dockerfile frontend (the text @chutes/dockerfile renders),
 * tagged as given, and returns both configs and both trees. `exported` says whether the trees had to be exported.
 */
export async function compareBackEnds(image: Image, options: CompareOptions): Promise<Comparison & { readonly exported: boolean }> {
  const { engine, client, contextDir, work, tags } = options;
  const common = { engine: client, contextDir, network: "host", ...(options.secrets === undefined ? {} : { secrets: options.secrets }) } as const;
  await build(image, { ...common, tags: [tags.llb] });
  await build(image, { ...common, frontend: "dockerfile", dockerfile: renderDockerfile(image), tags: [tags.dockerfile] });
  const [llb, dockerfile] = await Promise.all([inspectImage(engine, tags.llb), inspectImage(engine, tags.dockerfile)]);
  const config = { llb: llb.config, dockerfile: dockerfile.config };
  if (llb.layers.length > 0 && JSON.stringify(llb.layers) === JSON.stringify(dockerfile.layers)) {
    return { config, tree: "same-layers", exported: false };
  }
  const slug = tags.llb.replace(/[^a-zA-Z0-9]+/g, "-");
  const [llbTree, dfTree] = await Promise.all([
    exportTree(client, contextDir, tags.llb, join(work, `${slug}-llb.tar`)),
    exportTree(client, contextDir, tags.dockerfile, join(work, `${slug}-dockerfile.tar`)),
  ]);
  return { config, tree: { llb: llbTree, dockerfile: dfTree }, exported: true };
}
