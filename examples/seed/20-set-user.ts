// Seed: `.set_user` examples.
import { Image } from "@chutes/image-core";

// Create and use non-root user
export const nonRootUser = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .runCommand("useradd -m -u 1000 appuser")
  .runCommand("mkdir -p /app && chown appuser:appuser /app")
  .setUser("appuser")
  .setWorkdir("/app");

// Use existing user
export const existingUser = new Image("myuser", "myapp")
  .fromBase("ubuntu:22.04")
  .setUser("nobody");

// Switch between users
export const switchUsers = new Image("myuser", "myapp")
  .fromBase("ubuntu:22.04")
  .runCommand("apt update && apt install -y python3") // As root
  .runCommand("useradd -m appuser") // As root
  .setUser("appuser") // Switch to appuser
  .runCommand("whoami"); // As appuser
