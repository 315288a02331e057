// Seed: `.run_command` examples.
import { Image } from "@chutes/image-core";

// Install system packages
export const systemPackages = new Image("myuser", "myapp")
  .fromBase("ubuntu:22.04")
  .runCommand("apt update && apt install -y python3 python3-pip");

// Install Python packages
export const pythonPackages = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .runCommand("pip install torch torchvision torchaudio");

// Multiple commands in one call
export const multipleCommands = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .runCommand(`
        apt update &&
        apt install -y git curl &&
        pip install --upgrade pip &&
        pip install numpy pandas scikit-learn
    `);

// Install from requirements file
export const requirementsFile = new Image("myuser", "myapp")
  .fromBase("python:3.11-slim")
  .add("requirements.txt", "/tmp/requirements.txt")
  .runCommand("pip install -r /tmp/requirements.txt");
