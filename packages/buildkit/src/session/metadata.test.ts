import { describe, expect, it } from "vitest";
import { metadataFromRawHeaders, parseSyncRequest } from "./metadata.ts";

describe("metadataFromRawHeaders", () => {
  it("keeps repeated headers as separate values (commas intact), lowercases names, drops pseudo-headers", () => {
    const metadata = metadataFromRawHeaders([
      ":method", "POST",
      ":path", "/moby.filesync.v1.FileSync/DiffCopy",
      "Dir-Name", "context",
      "exclude-patterns", "a,b",
      "exclude-patterns", "!keep, this",
      "user-agent", "grpc-go/1.33.3",
    ]);
    expect([...metadata]).toEqual([
      ["dir-name", ["context"]],
      ["exclude-patterns", ["a,b", "!keep, this"]],
      ["user-agent", ["grpc-go/1.33.3"]],
    ]);
  });
});

describe("parseSyncRequest", () => {
  it("reads dir-name, include/exclude patterns, followpaths and override-excludes", () => {
    const metadata = metadataFromRawHeaders([
      "dir-name", "dockerfile",
      "include-patterns", "src/*",
      "include-patterns", "README.md",
      "exclude-patterns", "*.log",
      "followpaths", "Dockerfile",
      "followpaths", "Dockerfile.dockerignore",
      "override-excludes", "true",
    ]);
    expect(parseSyncRequest(metadata)).toEqual({
      dirName: "dockerfile",
      includePatterns: ["src/*", "README.md"],
      excludePatterns: ["*.log"],
      followPaths: ["Dockerfile", "Dockerfile.dockerignore"],
      overrideExcludes: true,
    });
  });

  it("defaults everything when the headers are missing (BuildKit 0.8 sends only dir-name)", () => {
    expect(parseSyncRequest(metadataFromRawHeaders(["dir-name", "context"]))).toEqual({
      dirName: "context",
      includePatterns: [],
      excludePatterns: [],
      followPaths: [],
      overrideExcludes: false,
    });
    expect(parseSyncRequest(metadataFromRawHeaders([])).dirName).toBe("");
  });
});
