import { describe, expect, test } from "vitest";
import { BuildKitError } from "../errors.ts";
import { formatAddress, parseAddress, resolveAddress } from "./address.ts";

const none = (): boolean => false;

describe("resolveAddress: option, then BUILDKIT_HOST, then DOCKER_HOST, then the default sockets", () => {
  const env = { BUILDKIT_HOST: "tcp://buildkit:1234", DOCKER_HOST: "unix:///var/run/docker.sock" };

  test("an explicit address wins, and a bare one is probed", () => {
    expect(resolveAddress({ address: "unix:///tmp/x.sock", env, exists: none })).toEqual({
      network: "unix",
      path: "/tmp/x.sock",
      kind: "auto",
      source: "option",
      raw: "unix:///tmp/x.sock",
    });
  });

  test("BUILDKIT_HOST means buildkitd, DOCKER_HOST the Docker Engine", () => {
    expect(resolveAddress({ env, exists: none })).toMatchObject({ network: "tcp", host: "buildkit", port: 1234, kind: "buildkitd", source: "BUILDKIT_HOST" });
    expect(resolveAddress({ env: { DOCKER_HOST: env.DOCKER_HOST, BUILDKIT_HOST: "" }, exists: none })).toMatchObject({
      kind: "docker",
      source: "DOCKER_HOST",
      path: "/var/run/docker.sock",
    });
  });

  test("an explicit kind prefix overrides the source's", () => {
    expect(resolveAddress({ env: { BUILDKIT_HOST: "docker+unix:///run/d.sock" }, exists: none })).toMatchObject({ kind: "docker" });
    expect(resolveAddress({ address: "buildkitd+tcp://[::1]:1234", exists: none })).toMatchObject({ kind: "buildkitd", host: "::1", port: 1234 });
  });

  test("DOCKER_TLS_VERIFY with a tcp DOCKER_HOST points at the CLI's certificates", () => {
    expect(resolveAddress({ env: { DOCKER_HOST: "tcp://h:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs" } })).toMatchObject({
      kind: "docker",
      dockerCertPath: "/certs",
    });
  });

  test("the default sockets, buildkitd's first", () => {
    const only = (path: string) => (p: string) => p === path;
    expect(resolveAddress({ env: {}, exists: only("/run/buildkit/buildkitd.sock") })).toMatchObject({ kind: "buildkitd", source: "default" });
    expect(resolveAddress({ env: {}, exists: only("/var/run/docker.sock") })).toMatchObject({ kind: "docker", raw: "unix:///var/run/docker.sock" });
    expect(() => resolveAddress({ env: {}, exists: none })).toThrow(BuildKitError);
    expect(() => resolveAddress({ env: {}, exists: none })).toThrow(/none of \/run\/buildkit\/buildkitd.sock, \/var\/run\/docker.sock exists/);
  });
});

describe("parseAddress", () => {
  test.each([
    ["npipe:////./pipe/docker_engine", /npipe:\/\/ is not supported/],
    ["ssh://me@host", /ssh:\/\/ is not supported/],
    ["docker-container://buildkitd", /docker-container:\/\/ is not supported/],
    ["/run/docker.sock", /expected unix:\/\/\/path or tcp:\/\/host:port/],
    ["unix://", /needs a socket path/],
    ["tcp://host", /needs a port/],
    ["buildkitd+tcp://:99", /expected tcp:\/\/host:port/],
  ])("%s is refused", (raw, why) => {
    let error: unknown;
    try {
      parseAddress(raw, "option", "auto");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuildKitError);
    expect((error as BuildKitError).code).toBe("invalid-address");
    expect((error as BuildKitError).message).toMatch(why);
  });

  test("a Docker tcp address defaults to port 2375", () => {
    expect(parseAddress("tcp://docker", "DOCKER_HOST", "docker")).toMatchObject({ host: "docker", port: 2375 });
  });

  test("formatAddress makes the kind explicit", () => {
    expect(formatAddress(parseAddress("unix:///a.sock", "option", "auto"), "docker")).toBe("docker+unix:///a.sock");
    expect(formatAddress(parseAddress("tcp://[::1]:9", "option", "buildkitd"))).toBe("buildkitd+tcp://[::1]:9");
    expect(formatAddress(parseAddress("tcp://h:9", "option", "auto"))).toBe("tcp://h:9");
  });
});
