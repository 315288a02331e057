// Seed: "Best Practices" > "Performance Best Practices" > 2. Combine RUN Commands.
import { Image } from "@chutes/image-core";

// Good: Single layer
export const combineRunCommands = (image: Image): Image =>
  image.runCommand(`
    apt update &&
    apt install -y python3 &&
    rm -rf /var/lib/apt/lists/*
`);

// Avoid: Multiple layers
// image = image.runCommand("apt update")
// image = image.runCommand("apt install -y python3")
// image = image.runCommand("rm -rf /var/lib/apt/lists/*")

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(combineRunCommands);
