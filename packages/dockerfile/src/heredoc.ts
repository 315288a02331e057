// `RUN <<'EOF'` heredocs for scripts (Dockerfile syntax 1.4 and later).
//
// BuildKit runs a RUN whose whole command is one heredoc as `[...shell, content]`, the same as `sh -c script`,
// with two exceptions that decide when we fall back to exec form:
// - content starting with `#!` is written to a file and executed, so its shebang line picks the interpreter;
// - the content is the lines up to the delimiter, each with its line ending, so a script without a final
//   newline gains one; that changes nothing unless the script ends with a backslash (a continuation for sh).
// The parser ends the heredoc at the first line equal to the delimiter once trailing CR and LF characters are
// removed, so the delimiter must not be such a line of the script. It is quoted (`<<'EOF'`): no expansion.

/** True when the script means the same as a heredoc as it does as `[...shell, "-c", script]`. */
export function fitsHeredoc(script: string): boolean {
  if (script.startsWith("#!")) return false;
  return script.endsWith("\n") || !script.endsWith("\\");
}

/** `EOF`, or `EOF_1`, `EOF_2`, ...: the first that is no line of the script. */
export function heredocDelimiter(script: string): string {
  const lines = new Set(script.split("\n").map((line) => line.replace(/[\r\n]+$/, "")));
  if (!lines.has("EOF")) return "EOF";
  for (let n = 1; ; n++) {
    const candidate = `EOF_${n}`;
    if (!lines.has(candidate)) return candidate;
  }
}

/** `<<'EOF'`, then the script's lines, then the delimiter line. `head` is `RUN` and its flags. */
export function renderHeredoc(head: string, script: string): string {
  const delimiter = heredocDelimiter(script);
  const body = script === "" || script.endsWith("\n") ? script : `${script}\n`;
  return `${head} <<'${delimiter}'\n${body}${delimiter}`;
}
