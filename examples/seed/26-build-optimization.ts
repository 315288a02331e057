// Seed: "Performance Optimization" > "Build Optimization".
import { Image } from "@chutes/image-core";

// Optimized build order
/** Create image with optimized layer caching. */
export function createOptimizedImage(): Image {
  return (
    new Image("myuser", "optimized-app", "1.0.0")
      .fromBase("python:3.11-slim")

      // System packages (changes rarely)
      .runCommand(`
            apt update && apt install -y --no-install-recommends
            build-essential git curl
            && rm -rf /var/lib/apt/lists/*
        `)

      // Python dependencies (changes occasionally)
      .add("requirements.txt", "/tmp/requirements.txt")
      .runCommand("pip install --no-cache-dir -r /tmp/requirements.txt")

      // Application code (changes frequently)
      .add("src/", "/app/src/")
      .setWorkdir("/app")

      // Runtime configuration
      .withEnv("PYTHONPATH", "/app")
      .setUser("1000:1000")
      .exposePort(8000)
      .withCmd(["python", "-m", "src.main"])
  );
}

// The seed only defines the function; this is the image it builds.
export const optimizedImage = createOptimizedImage();
