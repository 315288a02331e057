import { renderDockerfile } from "@chutes/dockerfile";
import { Image, ValidationError, lint } from "@chutes/image-core";
import { describe, expect, it } from "vitest";
import {
  TORCH_CONSTRAINTS,
  nonRootUser,
  pipCacheMounts,
  pipInstall,
  resolveTorch,
  shellWord,
  withHfCache,
  withPipCache,
  withPythonVenv,
  withTorch,
  withUv,
} from "../src/index.ts";

const cuda = (): Image => new Image("me", "app", "1.0.0").fromBase("nvidia/cuda:12.8.2-base-ubuntu24.04");
/** The Dockerfile lines after FROM, without preset labels. */
const lines = (image: Image): string[] =>
  renderDockerfile(image)
    .trimEnd()
    .split("\n")
    .filter((line) => !line.startsWith("FROM") && !line.startsWith("LABEL dev.chutes.preset."));

describe("withPipCache and pipInstall", () => {
  it("installs with --no-cache-dir until the cache is on, then with cache mounts", () => {
    expect(lines(cuda().with(pipInstall(["numpy<2", "transformers[torch]"])))).toEqual(["RUN pip install --no-cache-dir 'numpy<2' 'transformers[torch]'"]);
    const cached = cuda().with(withPipCache()).with(pipInstall(["numpy"]));
    expect(pipCacheMounts(cached)).toEqual([
      { type: "cache", target: "/root/.cache/pip" },
      { type: "cache", target: "/root/.cache/uv" },
    ]);
    expect(lines(cached)).toEqual([
      'ENV PIP_CACHE_DIR="/root/.cache/pip"',
      'ENV UV_CACHE_DIR="/root/.cache/uv"',
      "RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install numpy",
    ]);
  });

  it("satisfies image-core's pip-cache lint rule either way", () => {
    for (const image of [cuda().with(pipInstall(["numpy"])), cuda().with(withPipCache()).with(pipInstall(["numpy"]))]) {
      expect(lint(image).filter((finding) => finding.rule === "pip-cache")).toEqual([]);
    }
  });

  it("puts many arguments on their own lines, an option with its value on one", () => {
    const image = cuda().with(pipInstall(["a", "b"], { requirements: "/tmp/r.txt", indexUrl: "https://example.com/simple", args: ["--pre"] }));
    expect(lines(image)).toEqual([
      "RUN pip install \\",
      "    --no-cache-dir \\",
      "    a \\",
      "    b \\",
      "    -r /tmp/r.txt \\",
      "    --pre \\",
      "    --index-url https://example.com/simple",
    ]);
  });

  it("adds the caller's mounts after the cache's: a private index's credentials as a secret file or variable", () => {
    const secretFile = { type: "secret", id: "pip-conf", target: "/etc/pip.conf", required: true } as const;
    const secretEnv = { type: "secret", id: "pip-index", env: "PIP_INDEX_URL" } as const;
    expect(lines(cuda().with(pipInstall(["numpy"], { mounts: [secretFile] })))).toEqual([
      "RUN --mount=type=secret,target=/etc/pip.conf,id=pip-conf,required=true pip install --no-cache-dir numpy",
    ]);
    expect(lines(cuda().with(withPipCache()).with(pipInstall(["numpy"], { mounts: [secretEnv] }))).at(-1)).toBe(
      "RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv --mount=type=secret,id=pip-index,env=PIP_INDEX_URL pip install numpy",
    );
  });

  it("quotes shell words only when needed", () => {
    expect(shellWord("torch==2.7.1")).toBe("torch==2.7.1");
    expect(shellWord("numpy>=1,<2")).toBe("'numpy>=1,<2'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});

describe("withPythonVenv", () => {
  it("makes a venv from the distribution's python3 and puts it first on PATH", () => {
    const image = cuda().with(withPythonVenv({ python: "3.12", dev: true }));
    expect(lines(image)).toEqual([
      "RUN apt-get update && \\",
      "    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-dev && \\",
      "    rm -rf /var/lib/apt/lists/*",
      "RUN python3 -m venv /opt/venv",
      'ENV VIRTUAL_ENV="/opt/venv"',
      'ENV PATH="/opt/venv/bin:$PATH"',
      "RUN pip install --no-cache-dir --upgrade pip",
    ]);
    expect(image.inspect().Env).toContain("PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  });

  it("refuses a Python the Ubuntu base does not ship, pointing at withUv", () => {
    expect(() => cuda().with(withPythonVenv({ python: "3.11" }))).toThrow(ValidationError);
    try {
      cuda().with(withPythonVenv({ python: "3.11" }));
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => [i.code, i.message])).toEqual([
        ["python-not-system", 'the base image\'s python3 is 3.12, not 3.11; use withUv({ python: "3.11" }) for another version, or drop the python option'],
      ]);
    }
  });
});

describe("withUv", () => {
  it("copies uv from its image as a stage and makes a seeded venv on a managed CPython", () => {
    const image = cuda().with(withUv({ python: "3.11" }));
    const dockerfile = renderDockerfile(image);
    expect(dockerfile).toContain("FROM ghcr.io/astral-sh/uv:0.11.7 AS uv\n");
    expect(dockerfile).toContain("COPY --from=uv /uv /uvx /usr/local/bin/\n");
    expect(dockerfile).toContain("RUN uv venv --no-cache --seed --python 3.11 /opt/venv\n");
    expect(image.validate()).toEqual([]);
  });

  it("uses the uv cache mount when the cache is on", () => {
    const image = cuda().with(withPipCache()).with(withUv({ python: "3.13" }));
    expect(renderDockerfile(image)).toContain(
      "RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv uv venv --seed --python 3.13 /opt/venv\n",
    );
  });

  it("refuses a malformed version", () => {
    expect(() => cuda().with(withUv({ python: "three" }))).toThrow(ValidationError);
  });
});

describe("withTorch", () => {
  it("installs exact pins from one index and pins them for later installs", () => {
    const image = cuda().with(withTorch({ torch: "2.7.1", cuda: "12.8" }));
    expect(lines(image)).toEqual([
      "RUN pip install \\",
      "    --no-cache-dir \\",
      "    torch==2.7.1 \\",
      "    torchvision==0.22.1 \\",
      "    torchaudio==2.7.1 \\",
      "    --index-url https://download.pytorch.org/whl/cu128",
      `RUN mkdir -p /etc/pip && printf '%s\\n' 'torch==2.7.1' 'torchvision==0.22.1' 'torchaudio==2.7.1' > ${TORCH_CONSTRAINTS}`,
      `ENV PIP_CONSTRAINT="${TORCH_CONSTRAINTS}"`,
      `ENV UV_CONSTRAINT="${TORCH_CONSTRAINTS}"`,
    ]);
  });

  it("takes a resolution, a subset of packages, and can skip the constraints", () => {
    const resolution = resolveTorch({ cuda: "cpu", torch: "2.9.1" });
    expect(lines(cuda().with(withTorch({ resolution, packages: ["torch"], constrain: false })))).toEqual([
      "RUN pip install --no-cache-dir torch==2.9.1 --index-url https://download.pytorch.org/whl/cpu",
    ]);
  });

  it("throws the solver's error for an impossible combination when the preset is made", () => {
    expect(() => withTorch({ torch: "2.5.1", cuda: "12.8" })).toThrow("torch 2.5.1 has no cu128 build; use cu124, cu121 or cu118");
  });
});

describe("nonRootUser", () => {
  it("creates the user only when the uid is free (Ubuntu 24.04 has uid 1000), owns its paths, and switches", () => {
    const image = cuda().with(nonRootUser({ paths: ["/data"], workdir: "/app" }));
    expect(lines(image)).toEqual([
      "RUN (getent group 1000 >/dev/null || groupadd -g 1000 appuser) && \\",
      "    (getent passwd 1000 >/dev/null || useradd -m -u 1000 -g 1000 -s /bin/bash appuser) && \\",
      "    mkdir -p /data /app && \\",
      "    chown -R 1000:1000 /data /app",
      "USER 1000:1000",
      "WORKDIR /app",
    ]);
    expect(image.inspect()).toMatchObject({ User: "1000:1000", WorkingDir: "/app" });
    expect(lint(image).filter((finding) => finding.rule === "non-root-user")).toEqual([]);
  });
});

describe("withHfCache", () => {
  it("sets the cache variables and creates the directories for the runtime user", () => {
    const image = cuda().with(withHfCache({ hubCache: "/cache/hub", transformersCache: "/opt/models", owner: "1000:1000" }));
    expect(lines(image)).toEqual([
      'ENV HF_HOME="/opt/huggingface"',
      'ENV HF_HUB_CACHE="/cache/hub"',
      'ENV TRANSFORMERS_CACHE="/opt/models"',
      "RUN mkdir -p /opt/huggingface /cache/hub /opt/models && chown -R 1000:1000 /opt/huggingface /cache/hub /opt/models",
    ]);
  });
});
