import { Image } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import { dockerfileStepMapper, parseVertexName } from "./dockerfile-steps.ts";

describe("parseVertexName", () => {
  it.each([
    ["[2/5] RUN make", { stage: undefined, index: 2, total: 5, instruction: "RUN make" }],
    ["[ 2/12] RUN make", { stage: undefined, index: 2, total: 12, instruction: "RUN make" }],
    ["[builder  2/12] COPY . /", { stage: "builder", index: 2, total: 12, instruction: "COPY . /" }],
    ["[app 3/3] RUN [\"/bin/sh\", \"-c\", \"false\"]", { stage: "app", index: 3, total: 3, instruction: 'RUN ["/bin/sh", "-c", "false"]' }],
  ])("%s", (name, expected) => {
    expect(parseVertexName(name)).toEqual(expected);
  });

  it.each(["[internal] load build context", "exporting to image", "[1/2]RUN x", ""])("%j is no step", (name) => {
    expect(parseVertexName(name)).toBeUndefined();
  });
});

describe("dockerfileStepMapper", () => {
  // The vertex names below are what engines A (BuildKit 0.8) and B (0.13) showed for these images.
  it("numbers FROM, RUN, COPY, ADD and WORKDIR of a single stage, and nothing else", () => {
    const image = new Image("t", "fail", "1")
      .fromBase("local/debian:bookworm-minbase")
      .withEnv("A", "1")
      .setWorkdir("/x")
      .withLabel("k", "v")
      .runCommand("exit 3");
    const stepOf = dockerfileStepMapper(image.toJSON());
    expect(stepOf({ name: "[1/3] FROM docker.io/local/debian:bookworm-minbase" })).toBeUndefined();
    expect(stepOf({ name: "[2/3] WORKDIR /x" })).toEqual({ stage: "fail", step: 1 });
    expect(stepOf({ name: "[3/3] RUN exit 3" })).toEqual({ stage: "fail", step: 3 });
    expect(stepOf({ name: "[internal] load build context" })).toBeUndefined();
  });

  it("maps named stages, a stage based on another counting no FROM", () => {
    const builder = new Image("t", "builder", "1").fromBase("local/busybox:latest").runCommand("echo built > /out");
    const app = new Image("t", "app", "1").fromBase("local/debian:bookworm-minbase").copyFrom(builder, "/out", "/out").runCommand(["/bin/sh", "-c", "false"]);
    const stepOf = dockerfileStepMapper(app.toJSON());
    expect(stepOf({ name: "[builder 2/2] RUN echo built > /out" })).toEqual({ stage: "builder", step: 0 });
    expect(stepOf({ name: "[app 2/3] COPY --from=builder /out /out" })).toEqual({ stage: "app", step: 0 });
    expect(stepOf({ name: '[app 3/3] RUN ["/bin/sh", "-c", "false"]' })).toEqual({ stage: "app", step: 1 });

    const derived = new Image("t", "derived", "1").fromBase(builder).runCommand("true").copy("a", "/a");
    const fromStage = dockerfileStepMapper(derived.toJSON());
    expect(fromStage({ name: "[derived 1/2] RUN true" })).toEqual({ stage: "derived", step: 0 });
    expect(fromStage({ name: "[derived 2/2] COPY a /a" })).toEqual({ stage: "derived", step: 1 });
  });

  it("maps a vertex another build named (shared by two builds at once): the number holds, the total and stage may not", () => {
    const image = new Image("t", "x", "1").fromBase("local/busybox:latest").copy("r.txt", "/r.txt").runCommand("pip install -r /r.txt").copy("src", "/src");
    const stepOf = dockerfileStepMapper(image.toJSON());
    expect(stepOf({ name: "[3/3] RUN pip install -r /r.txt" })).toEqual({ stage: "x", step: 1 });
    expect(stepOf({ name: "[other 3/4] RUN pip install -r /r.txt" })).toEqual({ stage: "x", step: 1 });

    const builder = new Image("t", "builder", "1").fromBase("local/busybox:latest").runCommand("make");
    const app = new Image("t", "app", "1").fromBase("local/busybox:latest").runCommand("make").copyFrom(builder, "/out", "/out");
    const multi = dockerfileStepMapper(app.toJSON());
    // Both stages have a RUN at number 2: the stage name decides, else the total; with neither, no step.
    expect(multi({ name: "[builder 2/2] RUN make" })).toEqual({ stage: "builder", step: 0 });
    expect(multi({ name: "[app 2/2] RUN make" })).toEqual({ stage: "app", step: 0 });
    expect(multi({ name: "[stage-1 2/3] RUN make" })).toEqual({ stage: "app", step: 0 });
    expect(multi({ name: "[stage-1 2/4] RUN make" })).toBeUndefined();
    // Only one stage has a COPY at number 3.
    expect(multi({ name: "[stage-1 3/4] COPY --from=builder /out /out" })).toEqual({ stage: "app", step: 1 });
  });

  it("gives no step when the numbered entry is not of the instruction's kind, or there is none", () => {
    const image = new Image("t", "x", "1").fromBase("local/busybox:latest").runCommand("true");
    const stepOf = dockerfileStepMapper(image.toJSON());
    expect(stepOf({ name: "[2/2] COPY a /a" })).toBeUndefined();
    expect(stepOf({ name: "[3/3] RUN true" })).toBeUndefined();
    expect(stepOf({ name: "[1/2] FROM docker.io/local/busybox:latest" })).toBeUndefined();
  });

  it("counts no FROM for scratch", () => {
    const image = new Image("t", "x", "1").fromBase("scratch").copy("a", "/a");
    expect(dockerfileStepMapper(image.toJSON())({ name: "[1/1] COPY a /a" })).toEqual({ stage: "x", step: 0 });
  });
});
