// Seed: "Advanced Patterns" > "Multi-Stage Builds", transliterated faithfully: the Python SDK cannot copy from
// one image into another, so the production stage does not use the build stage. 23b-multi-stage-copyfrom.ts
// shows the same build with copyFrom.
import { Image } from "@chutes/image-core";

// Build stage
export const buildStage = new Image("myuser", "builder", "latest")
  .fromBase("python:3.11")
  .runCommand("apt update && apt install -y build-essential git")
  .add("requirements.txt", "/tmp/requirements.txt")
  .runCommand("pip install -r /tmp/requirements.txt --target /opt/python-packages")
  .add("src/", "/tmp/src/")
  .runCommand("cd /tmp/src && python setup.py build_ext --inplace");

// Production stage
export const productionStage = new Image("myuser", "myapp", "1.0.0")
  .fromBase("python:3.11-slim")
  .runCommand("apt update && apt install -y --no-install-recommends libgcc-s1")
  // Note: Multi-stage builds not supported in current API
  .withEnv("PYTHONPATH", "/opt/python-packages")
  .setWorkdir("/app")
  .withUser("1000:1000")
  .withCmd(["python", "main.py"]);
