// Seed: `.add` > "Best Practices".
import { Image } from "@chutes/image-core";

// Add requirements first for better caching
export const image = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .add("requirements.txt", "/tmp/requirements.txt") // Add early
  .runCommand("pip install -r /tmp/requirements.txt") // Install deps
  .add("src/", "/app/src/"); // Add code last
