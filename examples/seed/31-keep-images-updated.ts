// Seed: "Best Practices" > "Security Best Practices" > 3. Keep Images Updated.
import { Image } from "@chutes/image-core";

export const keepImagesUpdated = (image: Image): Image =>
  image
    .runCommand("apt update && apt upgrade -y"); // Update packages

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(keepImagesUpdated);
