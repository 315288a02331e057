// Seed: `.add` examples.
import { Image } from "@chutes/image-core";

// Add single file
export const singleFile = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .add("requirements.txt", "/app/requirements.txt");

// Add directory
export const directory = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .add("src/", "/app/src/");

// Add with different name
export const differentName = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .add("config.yaml", "/app/production-config.yaml");

// Add multiple files
export const multipleFiles = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .add("requirements.txt", "/app/requirements.txt")
  .add("setup.py", "/app/setup.py")
  .add("src/", "/app/src/");
