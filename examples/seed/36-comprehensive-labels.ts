// Seed: "Best Practices" > "Maintainability Best Practices" > 2. Add Comprehensive Labels.
import { Image } from "@chutes/image-core";

export const addComprehensiveLabels = (image: Image): Image =>
  image
    .withLabel("version", "1.0.0")
    .withLabel("description", "AI text processing service")
    .withLabel("maintainer", "team@company.com");

// The seed left the starting image undefined; we start from python:3.11-slim.
export const image = new Image("myuser", "myapp").fromBase("python:3.11-slim").with(addComprehensiveLabels);
