// Seed: "Best Practices" > "Security Best Practices" > 2. Minimize Attack Surface.
import { Image } from "@chutes/image-core";

export const minimizeAttackSurface = (image: Image): Image =>
  image
    .fromBase("python:3.11-slim") // Minimal base
    .runCommand("apt remove --purge -y wget curl"); // Remove unnecessary tools

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(minimizeAttackSurface);
