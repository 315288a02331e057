// Seed: `.with_env` > "Common Environment Variables".
import { Image } from "@chutes/image-core";

// Python optimization
export const pythonOptimization = (image: Image): Image =>
  image
    .withEnv("PYTHONOPTIMIZE", "2") // Enable optimizations
    .withEnv("PYTHONDONTWRITEBYTECODE", "1") // Don't write .pyc files
    .withEnv("PYTHONUNBUFFERED", "1"); // Unbuffered output

// PyTorch optimizations
export const pytorchOptimizations = (image: Image): Image =>
  image
    .withEnv("TORCH_BACKENDS_CUDNN_BENCHMARK", "1")
    .withEnv("TORCH_BACKENDS_CUDNN_DETERMINISTIC", "0");

// Memory management
export const memoryManagement = (image: Image): Image =>
  image.withEnv("MALLOC_ARENA_MAX", "4"); // Reduce memory fragmentation

// The seed left the starting image undefined; we start from python:3.11-slim and apply the three in order.
export const image = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .with(pythonOptimization)
  .with(pytorchOptimizations)
  .with(memoryManagement);
