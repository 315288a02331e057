// `chutes-image lint <file.ts>`: the best-practice findings of the image a file exports, each with the file and
// line of the builder call that made the step; with --fix, the fixed image's Dockerfile, the fixes made and what
// remains. Exit codes: 0 no error findings (left), 1 error findings or an invalid definition, 2 usage errors.

import { parseArgs } from "node:util";
import { ValidationError, fixLint, lint } from "@chutes/image-core";
import type { AppliedFix, ImageSpec, Issue, LintFinding, SourceLocation, StepOrigin } from "@chutes/image-core";
import { renderDockerfile } from "@chutes/dockerfile";
import { loadImage } from "./load.ts";
import type { CliIo } from "./main.ts";
import { displayPath as display, reportDefinitionError } from "./report.ts";

export const LINT_USAGE = `Usage: chutes-image lint <file.ts> [options]

Checks the image the file exports against the best practices. Each finding has a rule, a severity, what is
wrong and the fix in terms of the builder API, with the file and line of the call that made the step.

Options:
  --fix            apply the fixes that are certainly what you meant (apt-get -y, apt-get update and list
                   cleanup in the same step, apt -> apt-get, pip --no-cache-dir, absolute workdirs): print the
                   fixed image's Dockerfile, and on stderr each fix with the line to change, then what remains
  --json           machine-readable output: the findings; with --fix,
                   { "applied": [...], "remaining": [...], "spec": {...}, "dockerfile": "..." }
  --export <name>  take the image from this export instead of \`image\` or the default export
  -h, --help       show this help

Your TypeScript is never changed: apply the fixes there (each names the builder call and line), or build
from the printed Dockerfile.

Exit codes: 0 no error findings (after --fix: none left), 1 error findings or an invalid definition, 2 usage.

Example:
  chutes-image lint image.ts --fix > Dockerfile
`;

/** What the command needs from a loaded image; `originOf` gives the builder call's place in the file. */
interface LintableImage {
  toJSON(): ImageSpec;
  validate(): Issue[];
  originOf?(stage: string, step: number): StepOrigin | undefined;
}

/** Runs `chutes-image lint` with the arguments after `lint`; resolves to the exit code. */
export async function lintCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        export: { type: "string" },
        json: { type: "boolean", default: false },
        fix: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(LINT_USAGE);
    return 0;
  }
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) {
    return usage(io, "give exactly one definition file, e.g. chutes-image lint image.ts");
  }

  try {
    const image: LintableImage = await loadImage(file, { cwd: io.cwd, ...(values.export === undefined ? {} : { exportName: values.export }) });
    const issues = image.validate();
    if (issues.length > 0) throw new ValidationError(issues);
    const where = (stage: string | undefined, step: number | undefined): SourceLocation | undefined =>
      stage === undefined || step === undefined ? undefined : image.originOf?.(stage, step)?.location;

    if (!values.fix) {
      const findings = lint(image);
      if (values.json) {
        io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
      } else {
        io.stdout.write(formatFindings(findings, (finding) => where(finding.stage, finding.step), io.cwd));
        const fixable = fixLint(image).applied.length;
        if (fixable > 0) {
          io.stdout.write(`${fixable} fix${fixable === 1 ? "" : "es"} can be applied: chutes-image lint ${file} --fix\n`);
        }
      }
      return hasErrors(findings) ? 1 : 0;
    }

    const result = fixLint(image);
    const applied = result.applied.map((fix) => relativeFix(fix, io.cwd));
    const dockerfile = renderDockerfile(result.spec);
    if (values.json) {
      const out = { applied, remaining: result.remaining, spec: result.spec, dockerfile };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      io.stdout.write(dockerfile);
      for (const fix of applied) {
        const at = fix.location === undefined ? "" : ` at ${fix.location.file}:${fix.location.line}`;
        io.stderr.write(`fixed ${fix.rule} (stage ${fix.stage}, step ${fix.step})${at}: ${fix.change}\n`);
      }
      if (applied.length > 0) io.stderr.write("\n");
      io.stderr.write(formatFindings(result.remaining, (finding) => where(finding.stage, finding.step), io.cwd));
    }
    return hasErrors(result.remaining) ? 1 : 0;
  } catch (error) {
    const code = reportDefinitionError("lint", file, error, io);
    if (code === undefined) throw error;
    return code;
  }
}

function usage(io: CliIo, problem: string): number {
  io.stderr.write(`chutes-image lint: ${problem}\n\n${LINT_USAGE}`);
  return 2;
}

const hasErrors = (findings: readonly LintFinding[]): boolean => findings.some((finding) => finding.severity === "error");

function formatFindings(
  findings: readonly LintFinding[],
  locate: (finding: LintFinding) => SourceLocation | undefined,
  cwd: string,
): string {
  if (findings.length === 0) return "No findings.\n";
  const lines = findings.map((finding) => {
    const where = finding.stage === undefined ? "" : ` (stage ${finding.stage}${finding.step === undefined ? "" : `, step ${finding.step}`})`;
    const location = locate(finding);
    const at = location === undefined ? "" : ` at ${display(location.file, cwd)}:${location.line}`;
    return `${finding.severity.padEnd(7)} ${finding.rule}${where}${at}: ${finding.message}\n        fix: ${finding.fix}`;
  });
  const count = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
  return `${lines.join("\n")}\n\n${count("error")} errors, ${count("warning")} warnings, ${count("info")} infos\n`;
}

function relativeFix(fix: AppliedFix, cwd: string): AppliedFix {
  if (fix.location === undefined) return fix;
  return { ...fix, location: { ...fix.location, file: display(fix.location.file, cwd) } };
}

