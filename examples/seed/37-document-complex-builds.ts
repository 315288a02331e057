// Seed: "Best Practices" > "Maintainability Best Practices" > 3. Document Complex Builds.
import { Image } from "@chutes/image-core";

export const readme = `
# Custom AI Image

## Base Image
- nvidia/cuda:11.8-runtime-ubuntu22.04

## Installed Packages
- PyTorch 2.0 with CUDA 11.8
- Transformers library
- Custom preprocessing tools

## Usage
Designed for GPU-accelerated text generation.
`;

export const image = new Image("myuser", "ai-app", "1.0.0", readme);
