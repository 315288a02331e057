// Seed: `.set_workdir` examples.
import { Image } from "@chutes/image-core";

// Set working directory
export const workingDirectory = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .setWorkdir("/app")
  .add(".", "/app");

// Multiple working directories for different stages
export const multipleWorkingDirectories = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .setWorkdir("/tmp")
  .add("requirements.txt", "requirements.txt")
  .runCommand("pip install -r requirements.txt")
  .setWorkdir("/app")
  .add("src/", ".");
