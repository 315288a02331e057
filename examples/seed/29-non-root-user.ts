// Seed: "Best Practices" > "Security Best Practices" > 1. Use Non-Root Users.
import { Image } from "@chutes/image-core";

export const useNonRootUser = (image: Image): Image =>
  image
    .runCommand("useradd -m -u 1000 appuser")
    .withUser("appuser");

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(useNonRootUser);
