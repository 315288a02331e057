// `withPython(version)`: install a Python without compiling it (see docs/decisions.md, "withPython").

const PYTHON_VERSION = /^3\.(\d{1,2})(?:\.(\d{1,3}))?$/;

/** `3.11` or `3.11.9` → `{ minor: "3.11", full }`; anything else → undefined. */
export function parsePythonVersion(version: string): { readonly minor: string; readonly full: string } | undefined {
  const match = PYTHON_VERSION.exec(version);
  if (!match) return undefined;
  return { minor: `3.${match[1] ?? ""}`, full: version };
}

/**
 * The script `withPython` runs. In order, the first that applies:
 * 1. `python3.X` is already on PATH (the base ships it): nothing is installed.
 * 2. apt-get with a `python3.X` package in the base's own repositories (Debian, Ubuntu): install `python3.X`
 *    and `python3.X-venv` from them, then clean the lists in the same layer.
 * 3. apk with a matching `python3` (Alpine): install it.
 * 4. Otherwise fail with a message naming the version and the ways out (a base that packages it, or the
 *    `uv python install` prebuilt builds). Compiling from source is never attempted.
 * Then `python3` and `python` in /usr/local/bin point at it.
 */
export function pythonInstallScript(version: string): string {
  const parsed = parsePythonVersion(version);
  const minor = parsed?.minor ?? version;
  return [
    "set -eu",
    `v=${minor}`,
    'if ! command -v "python$v" >/dev/null 2>&1; then',
    "  if command -v apt-get >/dev/null 2>&1; then",
    "    apt-get update",
    '    if apt-cache show "python$v" >/dev/null 2>&1; then',
    '      pkgs="python$v"',
    '      if apt-cache show "python$v-venv" >/dev/null 2>&1; then pkgs="$pkgs python$v-venv"; fi',
    '      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs',
    "    fi",
    "    rm -rf /var/lib/apt/lists/*",
    "  elif command -v apk >/dev/null 2>&1; then",
    '    apk add --no-cache python3 && python3 -c "import sys; sys.exit(0 if \'%d.%d\' % sys.version_info[:2] == \'$v\' else 1)" && ln -sf "$(command -v python3)" "/usr/local/bin/python$v"',
    "  fi",
    "fi",
    'if ! command -v "python$v" >/dev/null 2>&1; then',
    '  echo "withPython: Python $v is not packaged for this base image; pick a base that ships it, or install a prebuilt one (uv python install $v)" >&2',
    "  exit 1",
    "fi",
    'ln -sf "$(command -v "python$v")" /usr/local/bin/python3',
    'ln -sf "$(command -v "python$v")" /usr/local/bin/python',
    "",
  ].join("\n");
}
