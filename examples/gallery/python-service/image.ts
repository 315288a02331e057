// A multi-stage Python web service (see README.md): a builder stage makes a virtual environment and installs the
// pinned requirements into it with pip's cache on a BuildKit cache mount; the runtime stage, on the same slim base,
// copies only that venv (`copyFrom`) and the app, runs as an unprivileged user, and declares its port and a
// healthcheck. `chutes-image render examples/gallery/python-service/image.ts` prints the Dockerfile.
import { Image } from "@chutes/image-core";

/** The Python both stages use: the venv's interpreter links to the base's, so the two must be the same image. */
export const PYTHON_BASE = "python:3.12-slim";

/** Where the builder makes the virtual environment, and where the runtime finds it. */
export const VENV = "/opt/venv";

/** Build stage: the venv and the dependencies. Nothing of it but `VENV` reaches the image. */
export const builder = new Image("gallery", "builder", "1.0.0")
  .fromBase(PYTHON_BASE)
  .withEnv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
  .runCommand(`python3 -m venv ${VENV}`)
  .withEnv("PATH", `${VENV}/bin:$PATH`)
  // The requirements alone first: editing the app does not re-run the install.
  .copy("requirements.txt", "/tmp/requirements.txt")
  // pip's downloads and wheels stay in the cache mount, between builds, never in a layer.
  .runCommand("pip install -r /tmp/requirements.txt", { mounts: [{ type: "cache", target: "/root/.cache/pip" }] });

/** The service image: the slim base, the venv from the builder, the app, and a non-root user. */
export const image = new Image("gallery", "python-service", "1.0.0")
  .fromBase(PYTHON_BASE)
  .runCommand("groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app")
  .copyFrom(builder, VENV, VENV)
  .withEnv("PATH", `${VENV}/bin:$PATH`)
  .withEnv("PYTHONUNBUFFERED", "1")
  .withEnv("PYTHONDONTWRITEBYTECODE", "1")
  .withEnv("PORT", "8080")
  .setWorkdir("/app")
  // Owned by root and not writable by the service: the code cannot be changed by the process that runs it.
  .copy("app/", "./")
  .withLabel("org.opencontainers.image.title", "python-service")
  .exposePort(8080)
  .withHealthcheck([`${VENV}/bin/python`, "/app/healthcheck.py"], { interval: "30s", timeout: "3s", startPeriod: "5s", retries: 3 })
  // Numeric, so that a platform can check it is not root without reading /etc/passwd (runAsNonRoot).
  .setUser("10001:10001")
  .withEntrypoint([`${VENV}/bin/python`, "/app/server.py"]);
