// Seed: `.run_command` > "Common Patterns".
import { Image } from "@chutes/image-core";

// System dependencies for AI/ML
export const systemDependencies = (image: Image): Image =>
  image.runCommand(`
    apt update && apt install -y
    build-essential
    git
    curl
    wget
    ffmpeg
    libsm6
    libxext6
    libfontconfig1
    libxrender1
`);

// Python ML stack
export const pythonMlStack = (image: Image): Image =>
  image.runCommand(`
    pip install
    torch
    transformers
    accelerate
    datasets
    tokenizers
    numpy
    pandas
    scikit-learn
    pillow
    opencv-python
`);

// Clean up after installation
export const cleanUp = (image: Image): Image =>
  image.runCommand(`
    apt autoremove -y &&
    apt clean &&
    rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
`);

// The seed left the starting image undefined; we start from python:3.11-slim and apply the three in order.
export const image = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .with(systemDependencies)
  .with(pythonMlStack)
  .with(cleanUp);
