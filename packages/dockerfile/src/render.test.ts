import type { ImageSpec, Issue, Stage, Step } from "@chutes/image-core";
import { ValidationError } from "@chutes/image-core";
import { describe, expect, test } from "vitest";
import { readBack } from "../test/read-back.ts";
import { renderDockerfile } from "./index.ts";
import type { ImageLike } from "./index.ts";

const ref = { username: "chutes", name: "demo", tag: "1.0" };

function spec(stages: Stage[]): ImageSpec {
  return { irVersion: 1, ref, stages };
}

/** One stage from python:3.11-slim with `steps`. */
function single(...steps: Step[]): ImageSpec {
  return spec([{ id: "main", base: { image: "python:3.11-slim" }, steps }]);
}

/** The instruction lines after `FROM`. */
function body(image: ImageSpec, syntax?: string): string {
  const text = renderDockerfile(image, syntax === undefined ? {} : { syntax });
  return text.slice(text.indexOf("\n") + 1);
}

describe("every step kind", () => {
  test.each<[string, Step, string]>([
    ["run, shell form", { kind: "run", command: { form: "shell", lines: ["apt-get update"] } }, "RUN apt-get update"],
    [
      "run, folded lines as continuations",
      { kind: "run", command: { form: "shell", lines: ["pip install", "torch", "transformers"] } },
      "RUN pip install \\\n    torch \\\n    transformers",
    ],
    ["run, exec form", { kind: "run", command: { form: "exec", argv: ["python", "-V"] } }, 'RUN ["python", "-V"]'],
    [
      "run, script form without syntax",
      { kind: "run", command: { form: "script", script: "set -e\necho hi\n" } },
      'RUN ["/bin/sh", "-c", "set -e\\necho hi\\n"]',
    ],
    [
      "run, script with an interpreter",
      { kind: "run", command: { form: "script", script: "print(1)\nprint(2)", interpreter: ["python3"] } },
      'RUN ["python3", "-c", "print(1)\\nprint(2)"]',
    ],
    [
      "add with every option",
      {
        kind: "add",
        sources: ["https://example.com/model.tar.gz"],
        dest: "/models/",
        chown: "1000:1000",
        chmod: "0644",
        exclude: ["*.tmp", "**/cache"],
        checksum: "sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d",
        keepGitDir: true,
      },
      "ADD --chown=1000:1000 --chmod=0644 --exclude=*.tmp --exclude=**/cache " +
        "--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d --keep-git-dir=true " +
        "https://example.com/model.tar.gz /models/",
    ],
    ["add, keepGitDir false is omitted", { kind: "add", sources: ["a"], dest: "/b", keepGitDir: false }, "ADD a /b"],
    [
      "copy",
      { kind: "copy", sources: ["requirements.txt", "src/"], dest: "/app/", chmod: "755" },
      "COPY --chmod=755 requirements.txt src/ /app/",
    ],
    [
      "copy, a path with a blank uses the JSON form",
      { kind: "copy", sources: ["my file.txt"], dest: "/app/" },
      'COPY ["my file.txt", "/app/"]',
    ],
    ["env", { kind: "env", key: "PYTHONUNBUFFERED", value: "1" }, 'ENV PYTHONUNBUFFERED="1"'],
    ["env, expansions kept", { kind: "env", key: "PATH", value: "/opt/python/bin:$PATH" }, 'ENV PATH="/opt/python/bin:$PATH"'],
    ["workdir", { kind: "workdir", path: "/app" }, "WORKDIR /app"],
    ["user", { kind: "user", user: "1000:1000" }, "USER 1000:1000"],
    ["entrypoint", { kind: "entrypoint", argv: ["python", "-m", "app"] }, 'ENTRYPOINT ["python", "-m", "app"]'],
    ["cmd", { kind: "cmd", argv: ["--port", "8000"] }, 'CMD ["--port", "8000"]'],
    ["cmd, empty", { kind: "cmd", argv: [] }, "CMD []"],
    [
      "label",
      { kind: "label", key: "org.opencontainers.image.authors", value: "Jane <jane@example.com>" },
      'LABEL org.opencontainers.image.authors="Jane <jane@example.com>"',
    ],
    ["expose", { kind: "expose", port: 8000, protocol: "tcp" }, "EXPOSE 8000/tcp"],
    ["expose udp", { kind: "expose", port: 53, protocol: "udp" }, "EXPOSE 53/udp"],
    [
      "healthcheck with every option",
      {
        kind: "healthcheck",
        test: ["curl", "-f", "http://localhost:8000/health"],
        interval: "30s",
        timeout: "5s",
        startPeriod: "1m",
        startInterval: "2s",
        retries: 3,
      },
      "HEALTHCHECK --interval=30s --timeout=5s --start-period=1m --start-interval=2s --retries=3 " +
        'CMD ["curl", "-f", "http://localhost:8000/health"]',
    ],
    ["healthcheck none", { kind: "healthcheck", test: null, interval: "30s" }, "HEALTHCHECK NONE"],
    ["arg", { kind: "arg", name: "VERSION" }, "ARG VERSION"],
    ["arg with a default", { kind: "arg", name: "VERSION", default: "1.2" }, 'ARG VERSION="1.2"'],
    ["shell", { kind: "shell", argv: ["/bin/bash", "-o", "pipefail", "-c"] }, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'],
  ])("%s", (_, step, expected) => {
    expect(renderDockerfile(single(step))).toBe(`FROM python:3.11-slim\n${expected}\n`);
  });

  test("copyFrom names its stage", () => {
    const text = renderDockerfile(
      spec([
        { id: "build", base: { image: "golang:1.22" }, steps: [] },
        {
          id: "final",
          base: "scratch",
          steps: [{ kind: "copyFrom", stage: "build", sources: ["/out/app"], dest: "/app", chown: "65532" }],
        },
      ]),
    );
    expect(text).toBe(
      "FROM golang:1.22 AS build\n\nFROM scratch AS final\nCOPY --from=build --chown=65532 /out/app /app\n",
    );
  });
});

describe("stages", () => {
  test("a single stage has no AS; scratch renders as scratch", () => {
    expect(renderDockerfile(spec([{ id: "main", base: "scratch", steps: [] }]))).toBe("FROM scratch\n");
  });

  test("several stages are named, separated by a blank line; a stage base renders as its id", () => {
    const text = renderDockerfile(
      spec([
        { id: "deps", base: { image: "python:3.11-slim" }, steps: [{ kind: "run", command: { form: "shell", lines: ["pip wheel ."] } }] },
        { id: "test", base: { stage: "deps" }, steps: [{ kind: "run", command: { form: "shell", lines: ["pytest"] } }] },
        {
          id: "final",
          base: { image: "python:3.11-slim" },
          steps: [{ kind: "copyFrom", stage: "deps", sources: ["/wheels"], dest: "/wheels" }],
        },
      ]),
    );
    expect(text).toBe(
      [
        "FROM python:3.11-slim AS deps",
        "RUN pip wheel .",
        "",
        "FROM deps AS test",
        "RUN pytest",
        "",
        "FROM python:3.11-slim AS final",
        "COPY --from=deps /wheels /wheels",
        "",
      ].join("\n"),
    );
  });

  test("the readme is not rendered", () => {
    const image: ImageSpec = { ...single(), readme: "# Title\nRUN rm -rf /\n" };
    expect(renderDockerfile(image)).toBe("FROM python:3.11-slim\n");
  });

  test("the file ends with exactly one newline", () => {
    const text = renderDockerfile(single({ kind: "run", command: { form: "script", script: "echo\n\n" } }), {
      syntax: "docker/dockerfile:1.7",
    });
    expect(text.endsWith("EOF\n")).toBe(true);
    expect(text.endsWith("\n\n")).toBe(false);
  });
});

describe("RUN mounts and network", () => {
  test("flags come before the command, mount keys in a fixed order", () => {
    const step: Step = {
      kind: "run",
      command: { form: "shell", lines: ["pip install -r requirements.txt"] },
      mounts: [
        { type: "cache", target: "/root/.cache/pip", id: "pip", sharing: "locked", readonly: true, mode: "0755", uid: 0, gid: 0 },
        { type: "secret", id: "hf_token", target: "/run/secrets/hf", required: true, mode: "0400", uid: 1000, gid: 1000 },
        { type: "tmpfs", target: "/tmp", size: 1048576 },
      ],
      network: "none",
    };
    expect(body(single(step))).toBe(
      "RUN --mount=type=cache,target=/root/.cache/pip,id=pip,sharing=locked,readonly=true,mode=0755,uid=0,gid=0 " +
        "--mount=type=secret,target=/run/secrets/hf,id=hf_token,required=true,mode=0400,uid=1000,gid=1000 " +
        "--mount=type=tmpfs,target=/tmp,size=1048576 --network=none pip install -r requirements.txt\n",
    );
  });

  test("a secret without target, host network; the default network is omitted", () => {
    expect(
      body(
        single(
          { kind: "run", command: { form: "exec", argv: ["true"] }, mounts: [{ type: "secret", id: "npmrc" }], network: "host" },
          { kind: "run", command: { form: "exec", argv: ["true"] }, network: "default" },
        ),
      ),
    ).toBe('RUN --mount=type=secret,id=npmrc --network=host ["true"]\nRUN ["true"]\n');
  });

  test("a secret as an environment variable, with and without a file", () => {
    expect(
      body(
        single({
          kind: "run",
          command: { form: "shell", lines: ['huggingface-cli download "$HF_REPO"'] },
          mounts: [
            { type: "secret", id: "hf_token", env: "HF_TOKEN" },
            { type: "secret", id: "npmrc", target: "/root/.npmrc", env: "NPM_RC", required: true },
          ],
        }),
      ),
    ).toBe(
      "RUN --mount=type=secret,id=hf_token,env=HF_TOKEN --mount=type=secret,target=/root/.npmrc,id=npmrc,env=NPM_RC,required=true " +
        'huggingface-cli download "$HF_REPO"\n',
    );
  });

  test("mount flags read back as BuildKit parses them", () => {
    const text = renderDockerfile(
      single({
        kind: "run",
        command: { form: "shell", lines: ["make", "install"] },
        mounts: [{ type: "cache", target: "/root/.cache", id: "c" }],
        network: "none",
      }),
    );
    const [, run] = readBack(text);
    expect(run?.flags).toEqual([
      ["mount", "type=cache,target=/root/.cache,id=c"],
      ["network", "none"],
    ]);
    expect(run?.values).toEqual(["make     install"]);
  });
});

describe("RUN scripts", () => {
  test("without syntax, a script runs as exec form with the stage's current shell", () => {
    expect(
      body(
        single(
          { kind: "run", command: { form: "script", script: "a\nb" } },
          { kind: "shell", argv: ["/bin/bash", "-euo", "pipefail", "-c"] },
          { kind: "run", command: { form: "script", script: "a\nb" } },
        ),
      ),
    ).toBe(
      'RUN ["/bin/sh", "-c", "a\\nb"]\n' +
        'SHELL ["/bin/bash", "-euo", "pipefail", "-c"]\n' +
        'RUN ["/bin/bash", "-euo", "pipefail", "-c", "a\\nb"]\n',
    );
  });

  test("a stage built on another stage inherits its shell", () => {
    const text = renderDockerfile(
      spec([
        { id: "base", base: { image: "debian:12" }, steps: [{ kind: "shell", argv: ["/bin/bash", "-c"] }] },
        { id: "app", base: { stage: "base" }, steps: [{ kind: "run", command: { form: "script", script: "x" } }] },
      ]),
    );
    expect(text).toBe('FROM debian:12 AS base\nSHELL ["/bin/bash", "-c"]\n\nFROM base AS app\nRUN ["/bin/bash", "-c", "x"]\n');
  });

  test("with syntax, a script is a quoted heredoc whose delimiter is no line of the script", () => {
    const text = renderDockerfile(
      single(
        { kind: "run", command: { form: "script", script: "set -e\necho $HOME\n" }, mounts: [{ type: "cache", target: "/c" }] },
        { kind: "run", command: { form: "script", script: "echo 1\nEOF\nEOF_1\r\necho 2" } },
        { kind: "run", command: { form: "script", script: "print(1)", interpreter: ["python3"] } },
      ),
      { syntax: "docker/dockerfile:1.7" },
    );
    expect(text).toBe(
      [
        "# syntax=docker/dockerfile:1.7",
        "FROM python:3.11-slim",
        "RUN --mount=type=cache,target=/c <<'EOF'",
        "set -e",
        "echo $HOME",
        "EOF",
        "RUN <<'EOF_2'",
        "echo 1",
        "EOF",
        "EOF_1\r",
        "echo 2",
        "EOF_2",
        'RUN ["python3", "-c", "print(1)"]',
        "",
      ].join("\n"),
    );
    const seen = readBack(text);
    expect(seen.map((i) => i.heredocs.map((h) => h.content))).toEqual([
      [],
      ["set -e\necho $HOME\n"],
      ["echo 1\nEOF\nEOF_1\r\necho 2\n"],
      [],
    ]);
    expect(seen[1]?.heredocs[0]?.expand).toBe(false);
  });

  test("with syntax, a shebang script or one ending in a backslash stays exec form", () => {
    expect(
      body(
        single(
          { kind: "run", command: { form: "script", script: "#!/usr/bin/env python3\nprint(1)\n" } },
          { kind: "run", command: { form: "script", script: "echo a \\" } },
        ),
        "docker/dockerfile:1.7",
      ),
    ).toBe(
      'FROM python:3.11-slim\nRUN ["/bin/sh", "-c", "#!/usr/bin/env python3\\nprint(1)\\n"]\n' +
        'RUN ["/bin/sh", "-c", "echo a \\\\"]\n',
    );
  });
});

describe("quoting", () => {
  test("ENV and LABEL values: quotes, backslashes, literal and expanded $, unicode", () => {
    expect(
      body(
        single(
          { kind: "env", key: "A", value: 'say "hi"' },
          { kind: "env", key: "B", value: "C:\\path\\to" },
          { kind: "env", key: "C", value: "cost: \\$5, home: $HOME, ${X:-it's \"q\"}" },
          { kind: "env", key: "D", value: "\\\\server\\share" },
          { kind: "label", key: "description", value: "naïve café ☕ \u2028 done" },
          { kind: "label", key: "my label", value: "" },
        ),
      ),
    ).toBe(
      [
        'ENV A="say \\"hi\\""',
        'ENV B="C:\\\\path\\\\to"',
        'ENV C="cost: \\$5, home: $HOME, ${X:-it\\\'s \\"q\\"}"',
        'ENV D="\\\\server\\\\share"',
        'LABEL description="naïve café ☕ \u2028 done"',
        'LABEL "my label"=""',
        "",
      ].join("\n"),
    );
  });

  test("values read back as the IR means them", () => {
    const text = renderDockerfile(
      single(
        { kind: "env", key: "A", value: 'say "hi"' },
        { kind: "env", key: "B", value: "C:\\path\\to" },
        { kind: "env", key: "C", value: "cost: \\$5, home: $HOME, ${X:-it's \"q\"}" },
        { kind: "env", key: "D", value: "\\\\server\\share" },
        { kind: "workdir", path: "/srv/my \"app\"" },
        { kind: "user", user: "$UID" },
        { kind: "copy", sources: ["it's.txt", "a\\b"], dest: "$HOME/x/" },
        { kind: "arg", name: "V", default: "${X:+set}" },
      ),
    );
    const env = { HOME: "/root", UID: "1000", X: "1" };
    expect(readBack(text, env).map((i) => i.values)).toEqual([
      ["python:3.11-slim"],
      ["A", 'say "hi"'],
      ["B", "C:\\path\\to"],
      ["C", "cost: $5, home: /root, 1"],
      ["D", "\\server\\share"],
      ['/srv/my "app"'],
      ["1000"],
      ["it's.txt", "a\\b", "/root/x/"],
      ["V", "=", "set"],
    ]);
  });

  test("WORKDIR and USER are bare when plain, double-quoted otherwise", () => {
    expect(
      body(
        single(
          { kind: "workdir", path: "/srv/app-1.0" },
          { kind: "workdir", path: "$HOME/app" },
          { kind: "workdir", path: "/srv/my app" },
          { kind: "workdir", path: "/srv/it's" },
          { kind: "workdir", path: "C:\\app" },
          { kind: "workdir", path: "--help" },
          { kind: "user", user: "" },
        ),
      ),
    ).toBe(
      [
        "WORKDIR /srv/app-1.0",
        "WORKDIR $HOME/app",
        'WORKDIR "/srv/my app"',
        "WORKDIR \"/srv/it's\"",
        'WORKDIR "C:\\\\app"',
        'WORKDIR "--help"',
        'USER ""',
        "",
      ].join("\n"),
    );
  });

  test("keys are quoted unless [A-Za-z0-9._/-]+", () => {
    expect(
      body(
        single(
          { kind: "label", key: "com.example/version-1.0_x", value: "1" },
          { kind: "label", key: 'a "b" $c', value: "1" },
          { kind: "arg", name: "my arg" },
          { kind: "env", key: "--x", value: "1" },
        ),
      ),
    ).toBe(
      ['LABEL com.example/version-1.0_x="1"', 'LABEL "a \\"b\\" \\$c"="1"', 'ARG "my arg"', 'ENV "--x"="1"', ""].join("\n"),
    );
  });

  test("COPY paths: JSON form for quotes, backslashes, blanks, [ and --; every path lexer-escaped", () => {
    expect(
      body(
        single(
          { kind: "copy", sources: ["it's"], dest: "/d" },
          { kind: "copy", sources: ["a\\b"], dest: "/d" },
          { kind: "copy", sources: ["[abc].txt"], dest: "/d" },
          { kind: "copy", sources: ["--help"], dest: "/d" },
          { kind: "copy", sources: ["tab\there"], dest: "/d" },
          { kind: "copy", sources: ["<<EOF", "2<<X"], dest: "/d" },
          { kind: "copy", sources: ["$SRC/*.py"], dest: "/d" },
        ),
      ),
    ).toBe(
      [
        'COPY ["it\\\\\'s", "/d"]',
        'COPY ["a\\\\\\\\b", "/d"]',
        'COPY ["[abc].txt", "/d"]',
        'COPY ["--help", "/d"]',
        'COPY ["tab\\there", "/d"]',
        "COPY \\<<EOF \\2<<X /d",
        "COPY $SRC/*.py /d",
        "",
      ].join("\n"),
    );
  });
});

describe("syntax option", () => {
  test("first line", () => {
    expect(renderDockerfile(single(), { syntax: "docker/dockerfile:1.7" })).toBe(
      "# syntax=docker/dockerfile:1.7\nFROM python:3.11-slim\n",
    );
  });
});

describe("ImageLike", () => {
  const issue: Issue = {
    code: "invalid-env-key",
    severity: "error",
    method: "withEnv",
    stage: "main",
    step: 0,
    path: ["stages", 0, "steps", 0, "key"],
    value: "1X",
    message: "an environment variable name starts with a letter or _",
  };

  test("an image with issues throws one ValidationError before rendering", () => {
    let rendered = false;
    const image: ImageLike = {
      validate: () => [issue],
      toJSON: () => {
        rendered = true;
        return single();
      },
    };
    expect(() => renderDockerfile(image)).toThrow(ValidationError);
    expect(rendered).toBe(false);
    try {
      renderDockerfile(image);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([issue]);
    }
  });

  test("a valid image renders its JSON", () => {
    const image: ImageLike = { validate: () => [], toJSON: () => single({ kind: "user", user: "app" }) };
    expect(renderDockerfile(image)).toBe("FROM python:3.11-slim\nUSER app\n");
  });
});

describe("determinism", () => {
  test("the same spec renders to the same bytes 100 times", () => {
    const image = spec([
      {
        id: "build",
        base: { image: "python:3.11-slim" },
        steps: [
          { kind: "run", command: { form: "shell", lines: ["pip install", "torch"] }, mounts: [{ type: "cache", target: "/c" }] },
          { kind: "env", key: "A", value: "x $Y" },
          { kind: "run", command: { form: "script", script: "a\nb" } },
        ],
      },
      { id: "final", base: "scratch", steps: [{ kind: "copyFrom", stage: "build", sources: ["/a"], dest: "/a" }] },
    ]);
    const first = renderDockerfile(image, { syntax: "docker/dockerfile:1.7" });
    for (let i = 0; i < 100; i++) {
      expect(renderDockerfile(structuredClone(image), { syntax: "docker/dockerfile:1.7" })).toBe(first);
    }
  });
});
