// Seed: "Best Practices" > "Performance Best Practices" > 1. Optimize Layer Caching.
import { Image } from "@chutes/image-core";

// Copy requirements first
export const optimizeLayerCaching = (image: Image): Image =>
  image
    .add("requirements.txt", "/tmp/requirements.txt")
    .runCommand("pip install -r /tmp/requirements.txt")
    .add("src/", "/app/src/"); // Copy code last

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(optimizeLayerCaching);
