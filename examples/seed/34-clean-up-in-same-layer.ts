// Seed: "Best Practices" > "Performance Best Practices" > 3. Clean Up in Same Layer.
import { Image } from "@chutes/image-core";

// The "# Clean up in same layer" below is part of the command string, as in the seed; runCommand drops it.
export const cleanUpInSameLayer = (image: Image): Image =>
  image.runCommand(`
    pip install large-package &&
    rm -rf ~/.cache/pip  # Clean up in same layer
`);

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(cleanUpInSameLayer);
