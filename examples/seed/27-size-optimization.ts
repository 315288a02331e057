// Seed: "Performance Optimization" > "Size Optimization".
import { Image } from "@chutes/image-core";

/** Create minimal size image. */
export function createMinimalImage(): Image {
  return (
    new Image("myuser", "minimal-app", "1.0.0")
      .fromBase("python:3.11-alpine") // Smaller base

      // Install only essential packages
      .runCommand(`
            apk add --no-cache
            gcc musl-dev linux-headers
            && pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu
            && apk del gcc musl-dev linux-headers
        `)

      // Copy only necessary files
      .add("src/main.py", "/app/main.py")
      .add("requirements-minimal.txt", "/tmp/requirements.txt")
      .runCommand("pip install --no-cache-dir -r /tmp/requirements.txt")

      // Remove temporary files
      .runCommand("rm -rf /tmp/* /var/cache/apk/*")

      // Minimal runtime
      .setWorkdir("/app")
      .setUser("65534:65534") // nobody user
      .withCmd(["python", "main.py"])
  );
}

// The seed only defines the function; this is the image it builds.
export const minimalImage = createMinimalImage();
