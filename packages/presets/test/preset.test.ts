import { ChutesError, Image, ValidationError } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { appliedPresets, checkPresets, definePreset, nonRootUser, presetConflicts, withHfCache, withPipCache } from "../src/index.ts";

const start = (): Image => new Image("me", "app", "1.0.0").fromBase("ubuntu:24.04");

const cacheA = definePreset({
  name: "cache-a",
  sets: { env: ["HF_HOME"], paths: ["/opt/cache"] },
  apply: (image) => image.withEnv("HF_HOME", "/opt/cache").runCommand("mkdir -p /opt/cache"),
});
const cacheB = definePreset({
  name: "cache-b",
  sets: { env: ["HF_HOME"], paths: ["/opt/cache/hub"] },
  apply: (image) => image.withEnv("HF_HOME", "/opt/cache/hub"),
});

describe("definePreset", () => {
  it("returns a frozen ImageTransform carrying its declaration", () => {
    expect(typeof cacheA).toBe("function");
    expect(cacheA.presetName).toBe("cache-a");
    expect(cacheA.sets).toEqual({ env: ["HF_HOME"], paths: ["/opt/cache"], user: false });
    expect(Object.isFrozen(cacheA)).toBe(true);
  });

  it("records itself in a dev.chutes.preset.* label after its steps, and leaves the input alone", () => {
    const before = start();
    const after = before.with(cacheA);
    expect(before.toJSON().stages[0]?.steps).toEqual([]);
    expect(after.toJSON().stages[0]?.steps.at(-1)).toEqual({
      kind: "label",
      key: "dev.chutes.preset.cache-a",
      value: '{"env":["HF_HOME"],"paths":["/opt/cache"],"steps":2}',
    });
    expect(after.inspect().Labels).toEqual({ "dev.chutes.preset.cache-a": '{"env":["HF_HOME"],"paths":["/opt/cache"],"steps":2}' });
    expect(after.validate()).toEqual([]);
  });

  it("keeps notes for later presets", () => {
    const noted = definePreset({ name: "noted", sets: {}, notes: { python: "3.12", b: "2" }, apply: (image) => image });
    expect(appliedPresets(start().with(noted))).toEqual([{ name: "noted", sets: { env: [], paths: [], user: false }, notes: { b: "2", python: "3.12" } }]);
  });

  it.each([
    [{ name: "Bad Name", sets: {}, apply: (i: Image) => i }, 'preset name "Bad Name" must be lowercase letters, digits, "." and "-", e.g. "hf-cache"'],
    [{ name: "rel", sets: { paths: ["opt/x"] }, apply: (i: Image) => i }, 'preset "rel" declares the path "opt/x"; paths must be absolute'],
    [{ name: "none", sets: {}, apply: undefined as never }, 'preset "none" needs an apply function: (image) => image'],
  ])("refuses %j", (definition, message) => {
    expect(() => definePreset(definition)).toThrow(new ChutesError("invalid-preset", message));
  });
});

describe("presetConflicts", () => {
  it("is empty for presets that touch different things", () => {
    const image = start().with(withPipCache()).with(withHfCache()).with(nonRootUser({ workdir: "/app" }));
    expect(presetConflicts(image)).toEqual([]);
    expect(() => {
      checkPresets(image);
    }).not.toThrow();
  });

  it("reports an env key and overlapping paths owned by two presets, at the later preset's label", () => {
    const image = start().with(cacheA).with(cacheB);
    const issues = presetConflicts(image);
    expect(issues.map((i) => [i.code, i.value, i.step, i.message])).toEqual([
      [
        "preset-env-conflict",
        "HF_HOME",
        4,
        'presets "cache-a" (stage app, step 2) and "cache-b" (stage app, step 4) both set HF_HOME; the later silently wins. Keep one, or give them the same value through one preset\'s options',
      ],
      [
        "preset-path-conflict",
        "/opt/cache/hub",
        4,
        'presets "cache-a" (stage app, step 2) and "cache-b" (stage app, step 4) own overlapping paths /opt/cache and /opt/cache/hub; give one of them another path',
      ],
    ]);
    expect(issues[0]).toMatchObject({ severity: "error", method: "with", stage: "app", path: ["stages", 0, "steps", 4] });
    expect(() => {
      checkPresets(image);
    }).toThrow(ValidationError);
  });

  it("reports two presets that both set the user, and a preset applied twice", () => {
    const other = definePreset({ name: "other-user", sets: { user: true }, apply: (image) => image.setUser("nobody") });
    const image = start().with(nonRootUser()).with(other).with(withPipCache()).with(withPipCache());
    expect(presetConflicts(image).map((i) => [i.code, i.message])).toEqual([
      ["preset-user-conflict", 'presets "non-root-user" (stage app, step 2) and "other-user" (stage app, step 4) both set the user; keep one of them'],
      [
        "preset-applied-twice",
        'preset "pip-cache" (stage app, step 10) was already applied at step 7; apply it once (layered definitions: only the first layer should)',
      ],
    ]);
  });

  it("reports what a preset's own steps set without declaring it (PATH excepted)", () => {
    const sneaky = definePreset({
      name: "sneaky",
      sets: { env: ["A"] },
      apply: (image) => image.withEnv("A", "1").withEnv("B", "2").withEnv("PATH", "/x:$PATH").setUser("1000"),
    });
    expect(presetConflicts(start().with(sneaky)).map((i) => [i.code, i.value])).toEqual([
      ["preset-undeclared-env", "B"],
      ["preset-undeclared-user", "1000"],
    ]);
  });

  it("survives a JSON round trip", () => {
    const image = start().with(cacheA).with(cacheB);
    expect(presetConflicts(Image.fromJSON(JSON.stringify(image)))).toEqual(presetConflicts(image));
    expect(presetConflicts(image.toJSON())).toEqual(presetConflicts(image));
  });

  it("checks each stage with the stages it is based on, not with stages it only copies from", () => {
    const builder = new Image("me", "builder").fromBase("ubuntu:24.04").with(cacheA);
    const runtime = start().with(cacheB).copyFrom(builder, "/opt/cache", "/opt/cache");
    expect(presetConflicts(runtime)).toEqual([]);
    const derived = new Image("me", "derived").fromBase(builder).with(cacheB);
    expect(presetConflicts(derived).map((i) => [i.code, i.stage])).toEqual([
      ["preset-env-conflict", "derived"],
      ["preset-path-conflict", "derived"],
    ]);
  });

  it("lists the presets of the final stage and its bases in order", () => {
    const builder = new Image("me", "builder").fromBase("ubuntu:24.04").with(cacheA);
    const derived = new Image("me", "derived").fromBase(builder).with(withPipCache());
    expect(appliedPresets(derived).map((p) => p.name)).toEqual(["cache-a", "pip-cache"]);
  });
});
