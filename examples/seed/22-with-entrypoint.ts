// Seed: `.with_entrypoint` examples.
import { Image } from "@chutes/image-core";

// Python application entrypoint
export const pythonEntrypoint = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .withEntrypoint(["python", "-m", "myapp"]);

// Shell script entrypoint
export const shellScriptEntrypoint = new Image("myuser", "myapp")
  .fromBase("ubuntu:22.04")
  .add("entrypoint.sh", "/entrypoint.sh")
  .runCommand("chmod +x /entrypoint.sh")
  .withEntrypoint(["/entrypoint.sh"]);

// Complex entrypoint with arguments
export const complexEntrypoint = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .withEntrypoint([
    "python",
    "-u", // Unbuffered output
    "-m", "uvicorn",
    "myapp:app",
    "--host", "0.0.0.0",
    "--port", "8000",
  ]);
