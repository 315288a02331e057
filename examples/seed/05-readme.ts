// Seed: "Optional Parameters" > `readme: Optional[str] = None`.
import { Image } from "@chutes/image-core";

export const readme = `
# Custom AI Processing Image

This image contains optimized libraries for AI text processing.

## Features
- PyTorch 2.0 with CUDA support
- Transformers library
- Custom preprocessing tools
- Optimized for GPU inference

## Usage
This image is designed for text generation workloads.
`;

export const image = new Image("mycompany", "ai-processor", "1.0.0", readme);
