// The demo image: a small Python service on the local Debian base that the project's engines import
// (no registry is needed). `bash scripts/demo.sh` renders it and prints its config.
import { Image } from "@chutes/image-core";

export const image = new Image("chutes-demo", "hello-inference", "0.1.0", "# Hello inference\n\nA tiny HTTP service.")
  .fromBase("local/debian:bookworm-minbase")
  .aptInstall(["python3", "ca-certificates"])
  .runCommand("useradd --create-home --uid 1000 app")
  .withEnv("PYTHONUNBUFFERED", "1")
  .withEnv("PYTHONDONTWRITEBYTECODE", "1")
  .withEnv("APP_HOME", "/srv/app")
  .setWorkdir("$APP_HOME")
  .copy("app/", "./", { chown: "1000:1000" })
  .withLabel("org.opencontainers.image.title", "hello-inference")
  .withMaintainer("Chutes demo <demo@example.com>")
  .exposePort(8000)
  .withHealthcheck(["python3", "/srv/app/healthcheck.py"], { interval: "30s", timeout: "3s", retries: 3 })
  .setUser("app")
  .withEntrypoint(["python3", "-m", "server"])
  .withCmd(["--port", "8000"]);
