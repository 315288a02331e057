// One-line descriptions of rendered Dockerfiles, for the table in README.md (test/readme.test.ts keeps it in
// sync with the goldens).

interface Instruction {
  readonly keyword: string;
  readonly rest: string;
  /** Physical lines after the first (` \` continuations). */
  readonly continuations: number;
  /** First instruction after a blank line: a new stage. */
  readonly afterBlank: boolean;
}

function instructions(dockerfile: string): Instruction[] {
  const result: Instruction[] = [];
  const lines = dockerfile.split("\n");
  let afterBlank = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      afterBlank = result.length > 0;
      continue;
    }
    if (line.startsWith("#")) continue;
    let continuations = 0;
    let current = line;
    while (current.endsWith("\\") && i + 1 < lines.length) {
      i++;
      continuations++;
      current = lines[i] ?? "";
    }
    const space = line.indexOf(" ");
    const keyword = space === -1 ? line : line.slice(0, space);
    const rest = space === -1 ? "" : line.slice(space + 1).replace(/\s*\\$/, "");
    result.push({ keyword, rest, continuations, afterBlank });
    afterBlank = false;
  }
  return result;
}

function token(instruction: Instruction): string {
  const { keyword, rest, continuations } = instruction;
  switch (keyword) {
    case "FROM":
    case "USER":
    case "WORKDIR":
    case "EXPOSE":
      return `${keyword} ${rest}`;
    case "COPY": {
      const from = /^--from=(\S+)/.exec(rest);
      return from ? `COPY --from=${from[1] ?? ""}` : "COPY";
    }
    case "CMD":
    case "ENTRYPOINT":
      return rest.startsWith("[") ? keyword : `${keyword} (shell form)`;
    default:
      if (continuations === 0) return keyword;
      return `${keyword} with ${continuations} continuation line${continuations === 1 ? "" : "s"}`;
  }
}

/**
 * `FROM python:3.11-slim; RUN with 3 continuation lines; ENV ×2`: the instructions in order, consecutive equal
 * ones counted, a new stage introduced by "then".
 */
export function summarizeDockerfile(dockerfile: string): string {
  const parts: string[] = [];
  let previous: string | undefined;
  let count = 0;
  const flush = (): void => {
    if (previous !== undefined) parts.push(count > 1 ? `${previous} ×${count}` : previous);
  };
  for (const instruction of instructions(dockerfile)) {
    const next = (instruction.afterBlank ? "then " : "") + token(instruction);
    if (next === previous) {
      count++;
      continue;
    }
    flush();
    previous = next;
    count = 1;
  }
  flush();
  return parts.join("; ");
}
