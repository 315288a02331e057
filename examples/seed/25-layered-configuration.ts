// Seed: "Advanced Patterns" > "Layered Configuration". Each function returns a new Image and leaves its
// argument unchanged (test/layered.test.ts proves it).
import { Image } from "@chutes/image-core";

/** Create base image for AI applications. */
export function createBaseAiImage(): Image {
  return new Image("myuser", "ai-base", "1.0.0")
    .fromBase("nvidia/cuda:11.8-runtime-ubuntu22.04")
    .runCommand("apt update && apt install -y python3 python3-pip")
    .runCommand("pip3 install --upgrade pip")
    .withEnv("PYTHONUNBUFFERED", "1")
    .withEnv("PYTHONDONTWRITEBYTECODE", "1");
}

/** Add ML libraries to base image. */
export function createMlImage(baseImage: Image): Image {
  return baseImage
    .runCommand("pip3 install numpy pandas scikit-learn")
    .runCommand("pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu118")
    .withEnv("TORCH_HOME", "/opt/torch");
}

/** Add NLP libraries to ML image. */
export function createNlpImage(mlImage: Image): Image {
  return mlImage
    .runCommand("pip3 install transformers tokenizers datasets")
    .runCommand("pip3 install spacy nltk")
    .withEnv("TRANSFORMERS_CACHE", "/opt/models");
}

// Build layered images
export const base = createBaseAiImage();
export const ml = createMlImage(base);
export const nlp = createNlpImage(ml);
