// Seed: "Optional Parameters" > `tag: str = "latest"`.
import { Image } from "@chutes/image-core";

// Default latest tag
export const defaultTag = new Image("mycompany", "ai-model");

// Specific version tag
export const versionTag = new Image("mycompany", "ai-model", "1.0.0");

// Development tag
export const devTag = new Image("mycompany", "ai-model", "dev");

// Feature branch tag
export const featureBranchTag = new Image("mycompany", "ai-model", "feature-new-model");
