// Seed: `.with_env` examples.
import { Image } from "@chutes/image-core";

// Basic environment variables
export const basicEnvironment = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .withEnv("PYTHONPATH", "/app")
  .withEnv("PYTHONUNBUFFERED", "1");

// GPU configuration
export const gpuConfiguration = new Image("myuser", "gpu-app")
  .fromBase("nvidia/cuda:11.8-runtime")
  .withEnv("CUDA_VISIBLE_DEVICES", "0")
  .withEnv("NVIDIA_VISIBLE_DEVICES", "all")
  .withEnv("NVIDIA_DRIVER_CAPABILITIES", "compute,utility");

// Application configuration
export const applicationConfiguration = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .withEnv("APP_ENV", "production")
  .withEnv("LOG_LEVEL", "INFO")
  .withEnv("MAX_WORKERS", "4");

// Model configuration
export const modelConfiguration = new Image("myuser", "ai-app")
  .fromBase("python:3.11-slim")
  .withEnv("TRANSFORMERS_CACHE", "/opt/models")
  .withEnv("HF_HOME", "/opt/huggingface")
  .withEnv("TORCH_HOME", "/opt/torch");
