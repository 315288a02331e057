// Tool images the building blocks pin. Plain data: see ./types.ts.

import type { ToolTable } from "./types.ts";

export const toolTable: ToolTable = {
  asOf: "2026-11-29",
  sources: [
    {
      id: "uv-docker-guide",
      url: "https://docs.astral.sh/uv/guides/integration/docker/",
      states: "Install uv in an image by copying /uv and /uvx from ghcr.io/astral-sh/uv:<version>; pin a version.",
    },
    {
      id: "uv-0.11.7-pinned",
      url: "https://github.com/ZeitOnline/httpbin/pull/204",
      states: "COPY --from=ghcr.io/astral-sh/uv:0.11.7@sha256:240fb85a... /uv /usr/bin/ (the tag exists and was pinned by digest).",
    },
  ],
  uv: { image: "ghcr.io/astral-sh/uv", tag: "0.11.7", confidence: "confirmed", sources: ["uv-docker-guide", "uv-0.11.7-pinned"] },
};
