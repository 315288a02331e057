// The `chutes-image` executable. All behaviour lives in main.ts, which tests call directly.
import { main } from "./main.ts";

// Ctrl-C cancels a running build on the engine (exit 130); a second one exits at once.
const interrupt = new AbortController();
const onInterrupt = (): void => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new Error("interrupted"));
};
process.on("SIGINT", onInterrupt);

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), signal: interrupt.signal }).then(
  (code) => {
    process.off("SIGINT", onInterrupt);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.off("SIGINT", onInterrupt);
    process.stderr.write(`chutes-image: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
