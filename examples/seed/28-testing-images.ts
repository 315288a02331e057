// Seed: "Testing Images" > "Testing Image Builds". The seed's pytest functions build these three images; their
// assertions, made real with image.inspect(), are in test/testing-images.test.ts.
// import docker
// import pytest
import { Image } from "@chutes/image-core";

// test_image_builds_successfully: Test that image builds without errors.
export const buildTestImage = new Image("test", "myapp", "test")
  .fromBase("python:3.11-slim")
  .runCommand("pip install requests");

// test_image_has_correct_environment: Test that image has correct environment variables.
export const environmentTestImage = new Image("test", "myapp", "test")
  .fromBase("python:3.11-slim")
  .withEnv("TEST_VAR", "test_value");

// test_image_security: Test image security configurations.
export const securityTestImage = new Image("test", "secure-app", "test")
  .fromBase("python:3.11-slim")
  .setUser("1000:1000"); // Non-root user
