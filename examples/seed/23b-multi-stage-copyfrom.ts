// Not in the seed: its "Multi-Stage Builds" example (23-multi-stage.ts) as ours can write it. The production
// stage copies the packages the build stage installed, so the Dockerfile has two stages and COPY --from.
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
  // What the seed's note says the Python SDK cannot do: copy from the build stage.
  .copyFrom(buildStage, "/opt/python-packages", "/opt/python-packages")
  .withEnv("PYTHONPATH", "/opt/python-packages")
  .setWorkdir("/app")
  .withUser("1000:1000")
  .withCmd(["python", "main.py"]);
