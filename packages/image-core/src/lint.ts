// `lint(image)`: the seed's best practices (and a few of Docker's) as rules with stable codes, a severity and a
// concrete fix in terms of the builder API. Rules read the IR only; nothing here builds or touches the engine.
//
// Shell text is read with a small lexer (quotes, escapes, `$(...)`, operators, redirections), not with regular
// expressions over the raw text, so `echo "apt-get install"` is not an install and `a && b` is two commands.
//
// A rule whose fix is certainly what the user meant also has a `rewrite` of the step it flags, made at the
// lexer's word spans (lint-fix-run.ts); `fixLint` (lint-fix.ts) applies them.

import { splitCommands, toCommand } from "./shell.ts";
import type { ShellCommand } from "./shell.ts";
import { ChutesError } from "./errors.ts";
import { assertNever } from "./ir.ts";
import type { AddStep, CopyStep, ImageSpec, Mount, RunStep, Stage, Step } from "./ir.ts";
import { editRun, readRun } from "./lint-fix-run.ts";
import type { RunEdit, RunReading } from "./lint-fix-run.ts";

export type LintSeverity = "error" | "warning" | "info";

/** One finding: what is wrong, why, and how to fix it. */
export interface LintFinding {
  /** Stable code, e.g. `non-root-user`. */
  readonly rule: string;
  readonly severity: LintSeverity;
  /** What and why. */
  readonly message: string;
  /** A suggested fix, in terms of the builder API. */
  readonly fix: string;
  /** The stage id; absent for findings about the image reference. */
  readonly stage?: string;
  /** The step index within the stage; absent for findings about a stage or the image as a whole. */
  readonly step?: number;
}

export interface LintRule {
  readonly id: string;
  /** The default severity of the rule's findings. */
  readonly severity: LintSeverity;
  readonly description: string;
  /** The rule's findings, with the default severity, in no particular order. */
  check(spec: ImageSpec): LintFinding[];
  /**
   * For rules whose fix is certainly what the user meant: the step that replaces the one a finding of this rule
   * flags (`finding.stage`, `finding.step`), or undefined when this finding has no such fix. `fixLint` calls it
   * only while the rule flags that step, and keeps the result only if the spec stays valid. Must change nothing
   * but that step, and leave a step it already fixed alone (idempotent).
   */
  readonly rewrite?: (spec: ImageSpec, finding: LintFinding) => LintRewrite | undefined;
}

/** A rule's rewrite of one flagged step. */
export interface LintRewrite {
  readonly step: Step;
  /** What changed, in one line, e.g. `added -y to "apt-get install curl"`. */
  readonly change: string;
}

export interface LintOptions {
  /** Per rule id: `"off"` silences the rule, a severity replaces its default. */
  readonly rules?: Readonly<Record<string, "off" | LintSeverity>>;
  /** More rules to run after the built-in ones, e.g. `cudaWheelsRule` from @chutes/presets. */
  readonly extraRules?: readonly LintRule[];
}

/**
 * Lints an image (or its IR). Findings are sorted by stage order (image-wide findings first), step index
 * (stage-wide findings first) and rule id. Throws a `ChutesError` (`invalid-lint-options`) for an unknown rule
 * id or severity in `options.rules`.
 */
export function lint(image: { toJSON(): ImageSpec } | ImageSpec, options: LintOptions = {}): LintFinding[] {
  const spec = "toJSON" in image ? image.toJSON() : image;
  const rules = [...lintRules, ...(options.extraRules ?? [])];
  const overrides = checkOptions(options, rules);
  const findings: LintFinding[] = [];
  for (const rule of rules) {
    const setting = overrides.get(rule.id) ?? rule.severity;
    if (setting === "off") continue;
    for (const finding of rule.check(spec)) findings.push({ ...finding, severity: setting });
  }
  const order = new Map(spec.stages.map((stage, index) => [stage.id, index]));
  const stageOrder = (finding: LintFinding): number => (finding.stage === undefined ? -1 : (order.get(finding.stage) ?? -1));
  return findings.sort(
    (a, b) =>
      stageOrder(a) - stageOrder(b) || (a.step ?? -1) - (b.step ?? -1) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

const SETTINGS: ReadonlySet<string> = new Set(["off", "error", "warning", "info"]);

function checkOptions(options: LintOptions, rules: readonly LintRule[]): Map<string, "off" | LintSeverity> {
  const known = new Set<string>();
  for (const rule of rules) {
    if (known.has(rule.id)) throw new ChutesError("invalid-lint-options", `two lint rules have the id "${rule.id}"; give extra rules their own ids`);
    known.add(rule.id);
  }
  const overrides = new Map<string, "off" | LintSeverity>();
  for (const [id, setting] of Object.entries(options.rules ?? {})) {
    if (!known.has(id)) {
      const names = [...known].sort().join(", ");
      throw new ChutesError("invalid-lint-options", `unknown lint rule "${id}"; known rules: ${names}`);
    }
    if (!SETTINGS.has(setting)) {
      const given = JSON.stringify(setting);
      throw new ChutesError("invalid-lint-options", `lint rule "${id}" is set to ${given}; use "off", "error", "warning" or "info"`);
    }
    overrides.set(id, setting);
  }
  return overrides;
}

// ---------------------------------------------------------------------------------------------------------
// Rule plumbing

/** A finding before the rule stamps its id and severity. */
interface Draft {
  readonly message: string;
  readonly fix: string;
  readonly stage?: string;
  readonly step?: number;
}

function defineRule(
  id: string,
  severity: LintSeverity,
  description: string,
  find: (spec: ImageSpec) => Iterable<Draft>,
  rewrite?: LintRule["rewrite"],
): LintRule {
  return Object.freeze({
    id,
    severity,
    description,
    check: (spec: ImageSpec): LintFinding[] => [...find(spec)].map((draft) => ({ rule: id, severity, ...draft })),
    ...(rewrite === undefined ? {} : { rewrite }),
  });
}

/** The state a step sees: what earlier steps of its stage (and of the stages it is based on) set. */
interface StepState {
  readonly env: ReadonlyMap<string, string>;
  /** The user of the last `user` step, or undefined when none (the base image's user, usually root). */
  readonly user: string | undefined;
  /** The absolute working directory, or undefined when never set (the base image's, usually `/`). */
  readonly workdir: string | undefined;
}

interface StepContext {
  readonly stage: Stage;
  readonly index: number;
  readonly step: Step;
  readonly state: StepState;
}

const EMPTY_STATE: StepState = { env: new Map(), user: undefined, workdir: undefined };

/** Every step of every stage, in order, with the state it sees. */
function walk(spec: ImageSpec): StepContext[] {
  const byId = new Map(spec.stages.map((stage) => [stage.id, stage]));
  const finals = new Map<string, StepState>();
  const contexts: StepContext[] = [];
  const finalState = (stage: Stage, visiting: ReadonlySet<string>, record: boolean): StepState => {
    const done = finals.get(stage.id);
    if (done !== undefined && !record) return done;
    let state = EMPTY_STATE;
    const base = stage.base;
    if (typeof base === "object" && "stage" in base) {
      const parent = byId.get(base.stage);
      if (parent !== undefined && !visiting.has(parent.id)) {
        state = finalState(parent, new Set([...visiting, parent.id]), false);
      }
    }
    for (const [index, step] of stage.steps.entries()) {
      if (record) contexts.push({ stage, index, step, state });
      state = nextState(state, step);
    }
    finals.set(stage.id, state);
    return state;
  };
  for (const stage of spec.stages) finalState(stage, new Set([stage.id]), true);
  return contexts;
}

function nextState(state: StepState, step: Step): StepState {
  switch (step.kind) {
    case "env":
      return { ...state, env: new Map([...state.env, [step.key, step.value]]) };
    case "user":
      return { ...state, user: step.user };
    case "workdir":
      return { ...state, workdir: resolvePath(state.workdir ?? "/", step.path) };
    case "run":
    case "add":
    case "copy":
    case "copyFrom":
    case "entrypoint":
    case "cmd":
    case "label":
    case "expose":
    case "healthcheck":
    case "arg":
    case "shell":
      return state;
    default:
      return assertNever(step, "step kind");
  }
}

/** POSIX path resolution without touching the file system. */
function resolvePath(from: string, path: string): string {
  const parts: string[] = [];
  for (const part of `${path.startsWith("/") ? "" : from}/${path}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The step a finding flags. */
function flaggedStep(spec: ImageSpec, finding: LintFinding): Step | undefined {
  if (finding.step === undefined) return undefined;
  return spec.stages.find((stage) => stage.id === finding.stage)?.steps[finding.step];
}

/** What a rewrite of a run step does: edits at its words, and the one-line description. */
interface RunPlan {
  readonly edits: readonly RunEdit[];
  readonly change: string;
}

/** Rewrites the flagged run step's command in place with the edits `plan` makes of how it reads. */
function rewriteRun(
  spec: ImageSpec,
  finding: LintFinding,
  plan: (reading: RunReading) => RunPlan | undefined,
): LintRewrite | undefined {
  const step = flaggedStep(spec, finding);
  if (step?.kind !== "run") return undefined;
  const reading = readRun(step.command);
  if (reading.heredoc) return undefined;
  const planned = plan(reading);
  if (planned === undefined || planned.edits.length === 0) return undefined;
  const command = editRun(step.command, planned.edits);
  return command === undefined ? undefined : { step: { ...step, command }, change: planned.change };
}

const at = (stage: string, step?: number): { readonly stage: string; readonly step?: number } =>
  step === undefined ? { stage } : { stage, step };

const quote = (text: string): string => JSON.stringify(text);

/** How the builder call that made a step reads, for messages and fixes. */
function builderCall(step: Step): string {
  switch (step.kind) {
    case "run":
      switch (step.command.form) {
        case "shell":
          return `.runCommand(${quote(step.command.lines.join(" "))})`;
        case "exec":
          return `.runCommand(${JSON.stringify(step.command.argv)})`;
        case "script":
          return `.runScript(${quote(step.command.script)})`;
        default:
          return assertNever(step.command, "run form");
      }
    case "add":
    case "copy":
      return `.${step.kind}(${sourcesArg(step.sources)}, ${quote(step.dest)})`;
    case "copyFrom":
      return `.copyFrom(${step.stage}, ${sourcesArg(step.sources)}, ${quote(step.dest)})`;
    case "env":
      return `.withEnv(${quote(step.key)}, ...)`;
    case "workdir":
      return `.setWorkdir(${quote(step.path)})`;
    case "user":
      return `.setUser(${quote(step.user)})`;
    case "entrypoint":
      return `.withEntrypoint(${JSON.stringify(step.argv)})`;
    case "cmd":
      return `.withCmd(${JSON.stringify(step.argv)})`;
    case "label":
      return `.withLabel(${quote(step.key)}, ...)`;
    case "expose":
      return step.protocol === "tcp" ? `.exposePort(${step.port})` : `.exposePort(${step.port}, "udp")`;
    case "healthcheck":
      return ".withHealthcheck(...)";
    case "arg":
      return `.withArg(${quote(step.name)}, ...)`;
    case "shell":
      return `.withShell(${JSON.stringify(step.argv)})`;
    default:
      return assertNever(step, "step kind");
  }
}

const sourcesArg = (sources: readonly string[]): string =>
  sources.length === 1 ? quote(sources[0] ?? "") : JSON.stringify(sources);

const basename = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** The shell commands a run step executes (scripts for a non-shell interpreter have none we can read). */
const runCommands = (step: RunStep): ShellCommand[] => readRun(step.command).commands.map((part) => part.command);

/** The raw text of a run step, for pattern searches (secrets). */
function runText(step: RunStep): string {
  const command = step.command;
  switch (command.form) {
    case "shell":
      return command.lines.join(" ");
    case "script":
      return command.script;
    case "exec":
      return command.argv.join(" ");
    default:
      return assertNever(command, "run form");
  }
}

interface RunContext extends StepContext {
  readonly step: RunStep;
  readonly commands: ShellCommand[];
}

function* runSteps(spec: ImageSpec): Generator<RunContext> {
  for (const context of walk(spec)) {
    if (context.step.kind === "run") yield { ...context, step: context.step, commands: runCommands(context.step) };
  }
}

const cacheMountTargets = (mounts: readonly Mount[] | undefined): string[] =>
  (mounts ?? []).flatMap((mount) => (mount.type === "cache" ? [resolvePath("/", mount.target)] : []));

// ---------------------------------------------------------------------------------------------------------
// 1. Non-root user

const isRootUser = (user: string): boolean => /^(?:root|0)(?::.*)?$/.test(user.trim()) || user.trim() === "";

const nonRootUser = defineRule(
  "non-root-user",
  "warning",
  "The image runs as root: the final stage sets no user, or sets root.",
  function* (spec) {
    const last = spec.stages.at(-1);
    if (last === undefined) return;
    const byId = new Map(spec.stages.map((stage) => [stage.id, stage]));
    const fix =
      `create an unprivileged user and switch to it as the last steps: .runCommand("useradd -m -u 1000 ` +
      `appuser").setUser("appuser")`;
    const seen = new Set<string>();
    for (let stage: Stage | undefined = last; stage !== undefined && !seen.has(stage.id); ) {
      seen.add(stage.id);
      const index = stage.steps.findLastIndex((step) => step.kind === "user");
      const step = stage.steps[index];
      if (step?.kind === "user") {
        if (!isRootUser(step.user)) return;
        yield {
          message:
            `The image runs as root (${builderCall(step)}): a process that escapes the application owns the ` +
            `container, and files it writes to mounted volumes are root's.`,
          fix,
          ...at(stage.id, index),
        };
        return;
      }
      const base: Stage["base"] = stage.base;
      stage = typeof base === "object" && "stage" in base ? byId.get(base.stage) : undefined;
    }
    yield {
      message:
        `The image sets no user, so it runs as the base image's user, root for almost every base: a process that ` +
        `escapes the application owns the container.`,
      fix,
      ...at(last.id),
    };
  },
);

// ---------------------------------------------------------------------------------------------------------
// 2. Tags

const latestTag = defineRule(
  "latest-tag",
  "warning",
  'The image is tagged "latest": the seed says to avoid it in production (it names a new image after every push).',
  function* (spec) {
    if (spec.ref.tag !== "latest") return;
    const { username, name } = spec.ref;
    yield {
      message:
        `The image is tagged "latest" (the default): a deployment cannot tell which build it runs, and rolling ` +
        `back means rebuilding. Avoid "latest" in production.`,
      fix: `give a version tag: new Image(${quote(username)}, ${quote(name)}, "1.0.0")`,
    };
  },
);

const NOT_REPRODUCIBLE = "the build is not reproducible and changes whenever the base is pushed.";

const unpinnedBaseImage = defineRule(
  "unpinned-base-image",
  "warning",
  'A base image has no tag, or the tag "latest": the build changes whenever the base is pushed.',
  function* (spec) {
    for (const stage of spec.stages) {
      const base = stage.base;
      if (base === "scratch" || "stage" in base) continue;
      const text = base.image;
      if (text.includes("@") || text.includes("$")) continue; // digest-pinned, or decided by a build arg
      const slash = text.lastIndexOf("/");
      const colon = text.indexOf(":", slash + 1);
      const tag = colon === -1 ? undefined : text.slice(colon + 1);
      if (tag !== undefined && tag !== "latest") continue;
      const name = colon === -1 ? text : text.slice(0, colon);
      yield {
        message:
          tag === undefined
            ? `The base image "${text}" has no tag, so it means "${name}:latest": ${NOT_REPRODUCIBLE}`
            : `The base image "${text}" uses the "latest" tag: ${NOT_REPRODUCIBLE}`,
        fix:
          `pin a version tag, or a digest for full reproducibility: .fromBase("${name}:<version>") or ` +
          `.fromBase("${name}@sha256:<digest>")`,
        ...at(stage.id),
      };
    }
  },
);

// ---------------------------------------------------------------------------------------------------------
// 3. apt

const APT = new Set(["apt", "apt-get"]);
/** apt options that take a value as the next word. */
const APT_VALUED = new Set([
  ...["-o", "-c", "-t", "-a", "--option", "--config-file"],
  ...["--target-release", "--default-release", "--host-architecture"],
]);
/** Subcommands that use the package lists `update` fetched. */
const APT_CONSUMERS = new Set([
  ...["install", "reinstall", "build-dep", "satisfy"],
  ...["upgrade", "dist-upgrade", "full-upgrade"],
]);
/** Subcommands that add packages. */
const APT_INSTALLS = new Set(["install", "reinstall", "build-dep", "satisfy"]);
/** Subcommands that ask "Do you want to continue?" and abort without a terminal. */
const APT_PROMPTS = new Set([...APT_CONSUMERS, "remove", "purge", "autoremove", "autopurge"]);
const APT_UPGRADES = new Set(["upgrade", "dist-upgrade", "full-upgrade"]);

interface AptCall {
  readonly position: number;
  readonly command: ShellCommand;
  readonly subcommand: string;
  /** The index of the subcommand in `command.args` (-1 when there is none). */
  readonly index: number;
  /** Words that are not options (packages, for install). */
  readonly operands: readonly string[];
  readonly options: readonly string[];
}

function aptCalls(commands: readonly ShellCommand[]): AptCall[] {
  const calls: AptCall[] = [];
  for (const [position, command] of commands.entries()) {
    if (!APT.has(command.name)) continue;
    const operands: string[] = [];
    const options: string[] = [];
    let index = -1;
    for (let k = 0; k < command.args.length; k++) {
      const arg = command.args[k] ?? "";
      if (arg.startsWith("-")) {
        options.push(arg);
        if (APT_VALUED.has(arg)) options.push(command.args[++k] ?? "");
      } else {
        if (operands.length === 0) index = k;
        operands.push(arg);
      }
    }
    const [subcommand = "", ...rest] = operands;
    calls.push({ position, command, subcommand, index, operands: rest, options });
  }
  return calls;
}

function assumesYes(call: AptCall): boolean {
  return call.options.some(
    (option) =>
      option === "--yes" ||
      option === "--assume-yes" ||
      /^-[a-zA-Z]*y[a-zA-Z]*$/.test(option) ||
      /^APT::Get::Assume-Yes=(?:true|1|yes)$/i.test(option),
  );
}

function skipsRecommends(call: AptCall): boolean {
  return call.options.some(
    (option) => option === "--no-install-recommends" || /^APT::Install-Recommends=(?:false|0|no)$/i.test(option),
  );
}

const removesAptLists = (command: ShellCommand): boolean =>
  command.name === "rm" && command.args.some((arg) => arg.startsWith("/var/lib/apt/lists"));

/** The blessed shape: what `aptInstall` generates. */
const aptInstallFix = (packages: readonly string[]): string => {
  const names = packages.length === 0 ? ["<package>"] : packages;
  const install = `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${names.join(" ")}`;
  return `.aptInstall(${JSON.stringify(names)}), which runs "apt-get update && ${install} && rm -rf /var/lib/apt/lists/*" in one step`;
};

const aptPackages = (calls: readonly AptCall[]): string[] =>
  calls.filter((call) => APT_INSTALLS.has(call.subcommand)).flatMap((call) => call.operands);

function* aptSteps(spec: ImageSpec): Generator<RunContext & { readonly calls: AptCall[] }> {
  for (const context of runSteps(spec)) {
    const calls = aptCalls(context.commands);
    if (calls.length > 0) yield { ...context, calls };
  }
}

const aptUpdateAlone = defineRule(
  "apt-update-alone",
  "warning",
  "apt-get update runs in a step without an install: its package lists go stale in a cached layer.",
  function* (spec) {
    const contexts = [...aptSteps(spec)];
    for (const { stage, index, step, calls } of contexts) {
      if (!calls.some((call) => call.subcommand === "update")) continue;
      if (calls.some((call) => APT_CONSUMERS.has(call.subcommand))) continue;
      const later = contexts.find(
        (other) => other.stage === stage && other.index > index && aptPackages(other.calls).length > 0,
      );
      const replacing = later === undefined ? "" : ` (replacing step ${later.index})`;
      yield {
        message:
          `${builderCall(step)} updates the package lists without installing anything in the same step. The layer ` +
          `is cached, so a later install in another step uses lists that grow stale and eventually point at ` +
          `packages the mirror no longer has.`,
        fix: `update and install in one step: ${aptInstallFix(later === undefined ? [] : aptPackages(later.calls))}${replacing}`,
        ...at(stage.id, index),
      };
    }
  },
);

const aptMissingUpdate = defineRule(
  "apt-missing-update",
  "warning",
  "apt-get install runs without apt-get update in the same step.",
  function* (spec) {
    for (const { stage, index, calls } of aptSteps(spec)) {
      const install = calls.find((call) => APT_INSTALLS.has(call.subcommand));
      if (install === undefined) continue;
      if (calls.some((call) => call.subcommand === "update" && call.position < install.position)) continue;
      yield {
        message:
          `"${install.command.text}" runs without "apt-get update" before it in the same step: it depends on ` +
          `package lists from an older layer (or none, since base images ship without them), so it installs stale ` +
          `versions or fails.`,
        fix: `run "apt-get update &&" first in the same runCommand, or use ${aptInstallFix(aptPackages(calls))}`,
        ...at(stage.id, index),
      };
    }
  },
  (spec, finding) =>
    rewriteRun(spec, finding, ({ commands, shell }) => {
      if (!shell) return undefined;
      const calls = aptCalls(commands.map((part) => part.command));
      const install = calls.find((call) => APT_INSTALLS.has(call.subcommand));
      if (install === undefined || calls.some((call) => call.subcommand === "update" && call.position < install.position)) {
        return undefined;
      }
      const part = commands[install.position];
      // Installing from other sources (`-o Dir::Etc::SourceList=...`) needs an update of those; with sudo, a
      // plain update would fail; after `|` or `||`, an update in front changes what runs.
      if (part === undefined || part.command.sudo || !JOINS_A_LIST.has(part.after)) return undefined;
      if (install.options.some((option) => /^(?:-o|-c|--option|--config-file)/.test(option))) return undefined;
      // In front of `then`/`do`/`else`/`{` would change the shell's grammar; after `if`, `while` or `!`, its logic.
      const word = part.words.findIndex((candidate) => !LIST_KEYWORDS.has(candidate.text));
      if (word === -1 || part.words.slice(word, part.program).some((candidate) => SHELL_KEYWORDS.has(candidate.text))) {
        return undefined;
      }
      return {
        edits: [{ kind: "insert-before", command: install.position, word, text: "apt-get update", operator: "&&" }],
        change: `added "apt-get update &&" before ${quote(install.command.text)}`,
      };
    }),
);

/** What can come before a command that `apt-get update &&` may be put in front of. */
const JOINS_A_LIST: ReadonlySet<string> = new Set(["", ";", "&&", "&", "(", "\n"]);
/** Reserved words after which a command starts a list (`then apt-get install ...`). */
const LIST_KEYWORDS: ReadonlySet<string> = new Set(["then", "do", "else", "{"]);
const SHELL_KEYWORDS: ReadonlySet<string> = new Set([...LIST_KEYWORDS, "if", "elif", "while", "until", "!", "}"]);

const aptMissingCleanup = defineRule(
  "apt-missing-cleanup",
  "warning",
  "apt-get install leaves /var/lib/apt/lists in the layer: clean up in the same step.",
  function* (spec) {
    for (const { stage, index, step, calls, commands } of aptSteps(spec)) {
      const consumers = calls.filter((call) => APT_CONSUMERS.has(call.subcommand));
      const last = consumers.at(-1);
      if (last === undefined) continue;
      if (commands.some((command, position) => position > last.position && removesAptLists(command))) continue;
      if (cacheMountTargets(step.mounts).some((target) => target === "/var/lib/apt" || target === "/var/lib/apt/lists")) {
        continue;
      }
      const shown =
        step.command.form === "shell"
          ? `.runCommand(${quote(`${step.command.lines.join(" ")} && rm -rf /var/lib/apt/lists/*`)})`
          : `"&& rm -rf /var/lib/apt/lists/*" at the end of the same step`;
      yield {
        message:
          `"${last.command.text}" leaves the package lists (tens of MB) in the layer: removing them in a later ` +
          `step does not shrink the image, since each step is its own layer. Clean up in the same layer.`,
        fix: `end the same step with the cleanup: ${shown}; or use ${aptInstallFix(aptPackages(calls))}`,
        ...at(stage.id, index),
      };
    }
  },
  (spec, finding) =>
    rewriteRun(spec, finding, ({ commands, shell }) => {
      const consumers = aptCalls(commands.map((part) => part.command)).filter((call) => APT_CONSUMERS.has(call.subcommand));
      // A later step that reads the lists this one leaves would break; with sudo, a plain rm would fail.
      if (!shell || consumers.length === 0 || consumers.some((call) => call.command.sudo)) return undefined;
      if (finding.stage === undefined || finding.step === undefined || laterStepsReadAptLists(spec, finding.stage, finding.step)) {
        return undefined;
      }
      return {
        edits: [{ kind: "append", operator: "&&", text: APT_LISTS_CLEANUP }],
        change: `appended "&& ${APT_LISTS_CLEANUP}"`,
      };
    }),
);

const APT_LISTS_CLEANUP = "rm -rf /var/lib/apt/lists/*";
/** apt subcommands that do not read the package lists. */
const APT_WITHOUT_LISTS: ReadonlySet<string> = new Set(["update", "remove", "purge", "autoremove", "autopurge", "clean", "autoclean"]);

/**
 * Whether a step after `index` in the stage, or in a stage built on it, runs an apt command that reads the
 * package lists before any `apt-get update` of its own.
 */
function laterStepsReadAptLists(spec: ImageSpec, stageId: string, index: number): boolean {
  const byId = new Map(spec.stages.map((stage) => [stage.id, stage]));
  const builtOn = (stage: Stage): boolean => {
    const seen = new Set<string>();
    for (let base = stage.base; typeof base === "object" && "stage" in base && !seen.has(base.stage); ) {
      if (base.stage === stageId) return true;
      seen.add(base.stage);
      base = byId.get(base.stage)?.base ?? "scratch";
    }
    return false;
  };
  const later = spec.stages.flatMap((stage) =>
    stage.id === stageId ? stage.steps.slice(index + 1) : builtOn(stage) ? stage.steps : [],
  );
  return later.some((step) => {
    if (step.kind !== "run") return false;
    for (const command of runCommands(step)) {
      const [call] = aptCalls([command]);
      if (call?.subcommand === "update") return false;
      if (call !== undefined ? !APT_WITHOUT_LISTS.has(call.subcommand) : ["apt-cache", "aptitude"].includes(command.name)) {
        return true;
      }
    }
    return false;
  });
}

const aptMissingYes = defineRule(
  "apt-missing-yes",
  "error",
  "apt-get install/remove/upgrade without -y: it asks for confirmation, which aborts a non-interactive build.",
  function* (spec) {
    for (const { stage, index, calls } of aptSteps(spec)) {
      const call = calls.find((candidate) => APT_PROMPTS.has(candidate.subcommand) && !assumesYes(candidate));
      if (call === undefined) continue;
      const subcommand = new RegExp(`(\\s)${call.subcommand}(?=\\s|$)`);
      const fixed = call.command.text.replace(subcommand, `$1${call.subcommand} -y`);
      yield {
        message:
          `"${call.command.text}" has no -y: apt asks "Do you want to continue? [Y/n]", and with no terminal to ` +
          `answer it the build aborts (or depends on the package set staying small enough not to ask).`,
        fix:
          `add -y ` +
          `("${fixed}")${APT_INSTALLS.has(call.subcommand) ? `, or use ${aptInstallFix(aptPackages(calls))}` : ""}`,
        ...at(stage.id, index),
      };
    }
  },
  (spec, finding) =>
    rewriteRun(spec, finding, ({ commands }) => {
      const edits: RunEdit[] = [];
      const fixed: string[] = [];
      for (const [position, part] of commands.entries()) {
        const [call] = aptCalls([part.command]);
        if (call === undefined || !APT_PROMPTS.has(call.subcommand) || assumesYes(call)) continue;
        edits.push({ kind: "insert-after", command: position, word: part.program + 1 + call.index, text: "-y" });
        fixed.push(quote(call.command.text));
      }
      return { edits, change: `added -y to ${fixed.join(", ")}` };
    }),
);

const aptInstallRecommends = defineRule(
  "apt-install-recommends",
  "info",
  "apt-get install without --no-install-recommends pulls in recommended packages the image rarely needs.",
  function* (spec) {
    for (const { stage, index, calls } of aptSteps(spec)) {
      const call = calls.find((candidate) => candidate.subcommand === "install" && !skipsRecommends(candidate));
      if (call === undefined) continue;
      yield {
        message:
          `"${call.command.text}" also installs every package the named ones recommend, often hundreds of MB that ` +
          `the image never uses.`,
        fix:
          `add --no-install-recommends ` +
          `("${call.command.text.replace(/(\s)install(?=\s|$)/, "$1install --no-install-recommends")}"), and name ` +
          `what you need; or use ${aptInstallFix(aptPackages(calls))}`,
        ...at(stage.id, index),
      };
    }
  },
);

const preferAptGet = defineRule(
  "prefer-apt-get",
  "info",
  "apt (rather than apt-get) in a build step: apt's command line is meant for people and is not stable for scripts.",
  function* (spec) {
    for (const { stage, index, step, calls } of aptSteps(spec)) {
      const call = calls.find((candidate) => candidate.command.name === "apt");
      if (call === undefined) continue;
      const replaced =
        step.command.form === "shell"
          ? `.runCommand(${quote(step.command.lines.join(" ").replace(/(^|[\s;&|(])apt(?=\s)/g, "$1apt-get"))})`
          : `"${call.command.text.replace(/(^|\s)apt(?=\s|$)/, "$1apt-get")}"`;
      yield {
        message:
          `"${call.command.text}" uses apt, whose command line is for interactive use: its output and behaviour ` +
          `may change between releases, and it warns "apt does not have a stable CLI interface".`,
        fix: `use apt-get: ${replaced}; or ${aptInstallFix(aptPackages(calls))}`,
        ...at(stage.id, index),
      };
    }
  },
  (spec, finding) =>
    rewriteRun(spec, finding, ({ commands }) => {
      const edits: RunEdit[] = [];
      const fixed: string[] = [];
      for (const [position, part] of commands.entries()) {
        const [call] = aptCalls([part.command]);
        const program = part.words[part.program];
        if (call?.command.name !== "apt" || !SAME_IN_APT_GET.has(call.subcommand) || program === undefined) continue;
        edits.push({ kind: "replace", command: position, word: part.program, text: `${program.text}-get` });
        fixed.push(quote(call.command.text));
      }
      return { edits, change: `apt → apt-get in ${fixed.join(", ")}` };
    }),
);

/**
 * Subcommands that do the same in apt-get as in apt. Not `upgrade` (apt's also installs new dependencies, like
 * `apt-get upgrade --with-new-pkgs`), nor apt's own (`list`, `search`, `show`, `full-upgrade`, ...).
 */
const SAME_IN_APT_GET: ReadonlySet<string> = new Set(["update", "install", "remove", "purge", "autoremove", "clean", "autoclean"]);

const aptUpgrade = defineRule(
  "apt-upgrade",
  "info",
  "apt-get upgrade/dist-upgrade in a build step: the image's contents depend on the day it was built.",
  function* (spec) {
    for (const { stage, index, calls } of aptSteps(spec)) {
      const call = calls.find((candidate) => APT_UPGRADES.has(candidate.subcommand));
      if (call === undefined) continue;
      yield {
        message:
          `"${call.command.text}" upgrades every package of the base: two builds of the same definition differ, ` +
          `and the upgrade duplicates much of the base in a new layer.`,
        fix:
          `remove the upgrade and pin a recent base instead: .fromBase("<image>:<newer-version>"); to update one ` +
          `package, install it by name: ${aptInstallFix([])}`,
        ...at(stage.id, index),
      };
    }
  },
);

// ---------------------------------------------------------------------------------------------------------
// 4. Dependency files before source code

const MANIFEST = new RegExp(
  "^(?:" +
    [
      ...["requirements[^/]*\\.(?:txt|in)", "pyproject\\.toml", "setup\\.py", "setup\\.cfg", "poetry\\.lock", "Pipfile[^/]*"],
      ...["uv\\.lock", "environment\\.ya?ml", "package\\.json", "package-lock\\.json", "npm-shrinkwrap\\.json"],
      ...["pnpm-lock\\.yaml", "yarn\\.lock", "go\\.mod", "go\\.sum", "Cargo\\.toml", "Cargo\\.lock", "Gemfile(?:\\.lock)?"],
    ].join("|") +
    ")$",
);
/** Directory names that hold source code even without a trailing slash. */
const SOURCE_DIRS: ReadonlySet<string> = new Set([
  ...["src", "app", "lib", "source", "sources", "pkg", "cmd", "internal", "code", "server", "backend", "frontend"],
]);

const isManifest = (source: string): boolean => MANIFEST.test(basename(source));

/** `.`, `./`, `*`, a path ending in `/` or `/*`, or a well-known source directory. */
function isWholeSource(source: string): boolean {
  if ([".", "./", "*", "./*", "**"].includes(source)) return true;
  if (source.endsWith("/") || source.endsWith("/*") || source.endsWith("/**")) return true;
  return SOURCE_DIRS.has(basename(source));
}

const PM_INSTALLS: Readonly<Record<string, ReadonlySet<string>>> = {
  poetry: new Set(["install", "sync"]),
  pipenv: new Set(["install", "sync"]),
  uv: new Set(["sync", "pip"]),
  conda: new Set(["install", "env", "create", "update"]),
  mamba: new Set(["install", "env", "create", "update"]),
  micromamba: new Set(["install", "env", "create", "update"]),
  npm: new Set(["ci", "install", "i"]),
  pnpm: new Set(["install", "i"]),
  yarn: new Set(["install", ""]),
  go: new Set(["mod", "build", "install"]),
  cargo: new Set(["build", "fetch", "install"]),
  bundle: new Set(["install"]),
};

/** A command that installs dependencies from a manifest. */
function installsDependencies(command: ShellCommand): boolean {
  if (pipInstall(command) !== undefined) return true;
  if (/^python[0-9.]*$/.test(command.name) && command.args[0] === "setup.py") return true;
  const subcommand = command.args.find((arg) => !arg.startsWith("-")) ?? "";
  return PM_INSTALLS[command.name]?.has(subcommand) ?? false;
}

const depsAfterSource = defineRule(
  "deps-after-source",
  "warning",
  "Source code is added before a dependency manifest and its install: every source change re-runs the install.",
  function* (spec) {
    for (const stage of spec.stages) {
      for (const [index, step] of stage.steps.entries()) {
        if (!isContextCopy(step)) continue;
        const whole = step.sources.find(isWholeSource);
        if (whole === undefined) continue;
        const manifestIndex = stage.steps.findIndex(
          (later, laterIndex) => laterIndex > index && isContextCopy(later) && later.sources.some(isManifest),
        );
        const manifest = stage.steps[manifestIndex];
        if (manifest === undefined) continue;
        const installIndex = stage.steps.findIndex(
          (later, laterIndex) =>
            laterIndex > manifestIndex && later.kind === "run" && runCommands(later).some(installsDependencies),
        );
        const install = stage.steps[installIndex];
        if (install === undefined) continue;
        yield {
          message:
            `${builderCall(step)} adds source code before ${builderCall(manifest)} (step ${manifestIndex}) and the ` +
            `install ${builderCall(install)} (step ${installIndex}): any change to the source invalidates the ` +
            `cache of every later step, so each edit re-runs the install.`,
          fix:
            `add the manifest and install first, then the source: ` +
            `${builderCall(manifest)}${builderCall(install)}${builderCall(step)}`,
          ...at(stage.id, index),
        };
      }
    }
  },
);

const isContextCopy = (step: Step): step is AddStep | CopyStep => step.kind === "add" || step.kind === "copy";

// ---------------------------------------------------------------------------------------------------------
// 5. pip without cache

/** pip options (before the subcommand) that take a value as the next word. */
const PIP_VALUED = new Set([
  ...["--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert"],
  ...["--client-cert", "--python", "--use-feature", "--use-deprecated", "-r", "-c"],
]);

/** The arguments after `install` when the command is `pip install`, `pip3.11 install` or `python -m pip install`. */
interface PipInstall {
  /** Options before `install` (pip's general options). */
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** The index of `install` in the command's `args`. */
  readonly index: number;
}

function pipInstall(command: ShellCommand): PipInstall | undefined {
  let skipped = 0;
  if (/^python[0-9.]*$/.test(command.name)) {
    const m = command.args.indexOf("-m");
    if (m === -1 || command.args[m + 1] !== "pip") return undefined;
    skipped = m + 2;
  } else if (!/^pip[0-9.]*$/.test(command.name)) {
    return undefined;
  }
  const args = command.args.slice(skipped);
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] ?? "";
    if (arg.startsWith("-")) {
      if (PIP_VALUED.has(arg)) k++;
      continue;
    }
    return arg === "install" ? { before: args.slice(0, k), after: args.slice(k + 1), index: skipped + k } : undefined;
  }
  return undefined;
}

const PIP_CACHE_CLEANUP = /(?:^|\/)\.cache(?:\/pip)?\/?\*?$/;

const pipCache = defineRule(
  "pip-cache",
  "warning",
  "pip install keeps its download cache in the layer: use --no-cache-dir or a cache mount.",
  function* (spec) {
    for (const { stage, index, step, commands, state } of runSteps(spec)) {
      if ((state.env.get("PIP_NO_CACHE_DIR") ?? "") !== "") continue;
      const cacheDir = state.env.get("PIP_CACHE_DIR");
      const mounted = cacheMountTargets(step.mounts).some(
        (target) =>
          target.endsWith("/.cache") ||
          target.endsWith("/.cache/pip") ||
          (cacheDir !== undefined && target === resolvePath("/", cacheDir)),
      );
      if (mounted) continue;
      const [position] = pipCachingInstalls(commands);
      const offending = position === undefined ? undefined : commands[position];
      if (offending === undefined) continue;
      const text = runText(step);
      const withFlag = text.replace(/(\bpip[0-9.]*\s+install)(?=\s|$)(?!\s+--no-cache-dir)/g, "$1 --no-cache-dir");
      const suggestion =
        step.command.form === "shell" && withFlag !== text
          ? `.runCommand(${quote(withFlag)})`
          : `add --no-cache-dir after "pip install"`;
      yield {
        message:
          `"${offending.text}" leaves pip's download cache (often hundreds of MB for ML wheels) in the layer; ` +
          `nothing ever reads it again.`,
        fix:
          `${suggestion}; or keep the cache out of the layer, between builds, with a cache mount: .runCommand(..., ` +
          `{ mounts: [{ type: "cache", target: "/root/.cache/pip" }] }); or set .withEnv("PIP_NO_CACHE_DIR", "1") ` +
          `before the installs`,
        ...at(stage.id, index),
      };
    }
  },
  (spec, finding) =>
    rewriteRun(spec, finding, ({ commands }) => {
      const edits: RunEdit[] = [];
      const fixed: string[] = [];
      for (const position of pipCachingInstalls(commands.map((part) => part.command))) {
        const part = commands[position];
        const pip = part === undefined ? undefined : pipInstall(part.command);
        if (part === undefined || pip === undefined) continue;
        edits.push({ kind: "insert-after", command: position, word: part.program + 1 + pip.index, text: "--no-cache-dir" });
        fixed.push(quote(part.command.text));
      }
      return { edits, change: `added --no-cache-dir to ${fixed.join(", ")}` };
    }),
);

/**
 * The positions of the pip installs that keep their cache in the layer: no `--no-cache-dir`, no
 * `PIP_NO_CACHE_DIR` (assigned, or exported before), no cleanup after them in the same step.
 */
function pipCachingInstalls(commands: readonly ShellCommand[]): number[] {
  let exported = false;
  return commands.flatMap((command, position) => {
    if (command.name === "export" && command.args.some((arg) => /^PIP_NO_CACHE_DIR=./.test(arg))) exported = true;
    const pip = pipInstall(command);
    if (pip === undefined || exported) return [];
    if ([...pip.before, ...pip.after].some((arg) => arg.startsWith("--no-cache"))) return [];
    if (command.assignments.some((assignment) => /^PIP_NO_CACHE_DIR=./.test(assignment))) return [];
    // Cleaned up in the same layer: `rm -rf ~/.cache/pip` or `pip cache purge` after the install.
    const cleaned = commands.some(
      (later, laterPosition) =>
        laterPosition > position &&
        ((later.name === "rm" && later.args.some((arg) => PIP_CACHE_CLEANUP.test(arg))) ||
          (/^pip[0-9.]*$/.test(later.name) && later.args[0] === "cache" && later.args[1] === "purge")),
    );
    return cleaned ? [] : [position];
  });
}

// ---------------------------------------------------------------------------------------------------------
// 6. Secrets

const SECRET_WORDS = [
  ...["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY"],
  ...["CREDENTIAL", "CREDENTIALS", "AUTH"],
];
/** A last word that says the variable names or locates a secret rather than holding it (`HF_TOKEN_PATH`). */
const NOT_A_SECRET_SUFFIX: ReadonlySet<string> = new Set([
  ...["PATH", "FILE", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT", "TYPE", "METHOD", "MODE", "ENABLED"],
  ...["DISABLED", "REQUIRED", "HEADER", "ID", "NAME", "TTL", "TIMEOUT", "EXPIRY", "PROVIDER", "SERVER", "PUBLIC"],
  ...["LENGTH", "LEN", "MIN", "MAX", "LIMIT", "COUNT", "SIZE", "POLICY", "VERSION"],
]);

/**
 * Whether an env or arg name says it holds a secret, matching whole `_`-separated words (`HF_TOKEN`, not
 * `TOKENIZERS_PARALLELISM`).
 */
function isSecretName(key: string): boolean {
  const words = key.toUpperCase().split(/[^A-Z0-9]+/).filter((word) => word !== "");
  const joined = `_${words.join("_")}_`;
  if (!SECRET_WORDS.some((word) => joined.includes(`_${word}_`))) return false;
  return !NOT_A_SECRET_SUFFIX.has(words.at(-1) ?? "") && !words.includes("PUBLIC");
}

/** Values that cannot be a secret: references, switches and file locations. */
const isHarmlessValue = (value: string): boolean =>
  value.trim() === "" ||
  /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+=?][^}]*)?\})$/.test(value) ||
  /^(?:0|1|true|false|yes|no|on|off|none|null)$/i.test(value) ||
  /^\/[\w./-]*$/.test(value);

const randomLooking = (token: string): boolean => /[0-9]/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token);

const SECRET_FORMATS: readonly { readonly what: string; readonly pattern: RegExp; readonly random?: boolean }[] = [
  { what: "an AWS access key id", pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { what: "a GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { what: "a Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{30,}\b/, random: true },
  { what: "an API key (sk-...)", pattern: /\bsk-[A-Za-z0-9_-]{20,}/, random: true },
  { what: "a Slack token", pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}/ },
  { what: "a private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
];

/** What well-known secret format a text contains, if any. */
function secretFormat(text: string): string | undefined {
  for (const format of SECRET_FORMATS) {
    const match = format.pattern.exec(text);
    if (match !== null && (format.random !== true || randomLooking(match[0]))) return format.what;
  }
  return undefined;
}

/** Enough of a value to recognise it, never the secret itself. */
const redact = (value: string): string => (value.length > 8 ? `${value.slice(0, 4)}…` : "…");

const secretId = (key: string): string => key.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_");

const READABLE = "anyone who pulls the image can read it (docker inspect)";
const ARG_HISTORY = "the image history of every step that uses it (docker history)";

/** The key and value of an env, arg (with a default) or label step, and where the value ends up. */
function configEntry(step: Step): { key: string; value: string; call: string; where: string } | undefined {
  switch (step.kind) {
    case "env":
      return { key: step.key, value: step.value, call: "withEnv", where: `the image config: every container and ${READABLE}` };
    case "arg":
      return step.default === undefined
        ? undefined
        : { key: step.name, value: step.default, call: "withArg", where: ARG_HISTORY };
    case "label":
      return { key: step.key, value: step.value, call: "withLabel", where: `the image config: ${READABLE}` };
    default:
      return undefined;
  }
}

const secretInConfig = defineRule(
  "secret-in-config",
  "error",
  "An env value, build-arg default or label looks like a secret: it stays in the image config or history for good.",
  function* (spec) {
    for (const stage of spec.stages) {
      for (const [index, step] of stage.steps.entries()) {
        const entry = configEntry(step);
        if (entry === undefined) continue;
        const { key, value, call, where } = entry;
        const format = secretFormat(value);
        const byName = step.kind !== "label" && isSecretName(key) && !isHarmlessValue(value);
        if (format === undefined && !byName) continue;
        const why = format === undefined ? `its name says it holds a secret` : `its value looks like ${format}`;
        const id = secretId(key);
        yield {
          message:
            `.${call}(${quote(key)}, "${redact(value)}"): ${why}, and it is stored in ${where}. Deleting it in a ` +
            `later step does not remove it.`,
          fix:
            `remove it and revoke the secret; give it to the build steps that need it as a secret mount, ` +
            `.runCommand("<command>", { mounts: [{ type: "secret", id: "${id}", env: "${key}" }] }) (BuildKit 0.13+; ` +
            `before, .runCommand("${key}=$(cat /run/secrets/${id}) <command>", { mounts: [{ type: "secret", id: "${id}" }] })), ` +
            `and to the container at run time (docker run -e ${key}, or the platform's secrets)`,
          ...at(stage.id, index),
        };
      }
    }
  },
);

const secretInRun = defineRule(
  "secret-in-run",
  "error",
  "A run command contains something that looks like a secret: it stays in the image history.",
  function* (spec) {
    for (const { stage, index, step } of runSteps(spec)) {
      const format = secretFormat(runText(step));
      if (format === undefined) continue;
      yield {
        message:
          `The command contains what looks like ${format}: the command line of every step is kept in the image ` +
          `history (docker history), for anyone who pulls the image.`,
        fix:
          `revoke it, and read it from a secret mount instead: .runCommand("<command using $TOKEN>", { mounts: ` +
          `[{ type: "secret", id: "token", env: "TOKEN" }] }) (BuildKit 0.13+; before, .runCommand("TOKEN=$(cat ` +
          `/run/secrets/token) <command>", { mounts: [{ type: "secret", id: "token" }] })), passing the value at build time`,
        ...at(stage.id, index),
      };
    }
  },
);

// ---------------------------------------------------------------------------------------------------------
// 7. Folded continuation lines that start a new command
//
// `runCommand` folds lines into one command line, so a line that was meant as a new command becomes arguments
// of the previous one: "apt-get update" + "apt-get install -y curl" runs `apt-get update apt-get install -y curl`.
// Continuation lines are also how the seed writes package lists ("apt install -y" + "git" + "curl"), and many
// package names are command names (git, curl, make, python3). The heuristic fires only when:
// - the previous non-empty line does not end with an operator or keyword that continues a command
//   (`&&`, `||`, `|`, `;`, `&`, `\`, `(`, `{`, `then`, `do`, `else`, `in`), and the line does not start with one;
// - the line does not start inside a quoted string;
// - its first word (after `NAME=value` assignments and `sudo`/`env`) is a known command AND its next word is
//   what that command takes first: a subcommand (`apt-get install`, `pip install`, `git clone`), an option
//   (`make -j4`, `tar -xzf`), a path (`python3 setup.py`, `sh /tmp/x.sh`), a URL (`curl https://...`), or
//   anything at all for commands that are never package names (`cd`, `rm`, `mkdir`, `chown`, `echo`, `export`,
//   `useradd`).
// So a one-word line never fires (`make` in a package list), nor does `python3 python3-pip python3-dev`.

const isOption = (word: string): boolean => word.length > 1 && word.startsWith("-");
const isPathLike = (word: string): boolean => /^(?:[/~$.]|\.\.?$)/.test(word) || word.includes("/");

const subcommands = (...names: string[]): ((arg: string) => boolean) => {
  const set = new Set(names);
  return (arg) => isOption(arg) || set.has(arg);
};
const optionOrPath = (arg: string): boolean => isOption(arg) || isPathLike(arg);
const anything = (): boolean => true;

const APT_SUBCOMMANDS = subcommands(
  ...["update", "install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove"],
  ...["clean", "autoclean", "build-dep", "source", "download", "satisfy"],
);
const PIP_SUBCOMMANDS = subcommands(
  ...["install", "uninstall", "download", "freeze", "list", "show", "check", "config", "wheel", "cache", "index"],
  "inspect",
);
const CONDA_SUBCOMMANDS = subcommands(
  ...["install", "create", "env", "clean", "update", "remove", "run", "activate", "config", "init"],
);

/** The first-argument shape of each command the heuristic knows. */
const COMMAND_SHAPES: ReadonlyMap<string, (arg: string) => boolean> = new Map([
  ["apt", APT_SUBCOMMANDS],
  ["apt-get", APT_SUBCOMMANDS],
  ["apk", subcommands("add", "del", "update", "upgrade", "cache", "info", "fix")],
  ["pip", PIP_SUBCOMMANDS],
  ["conda", CONDA_SUBCOMMANDS],
  ["mamba", CONDA_SUBCOMMANDS],
  ["micromamba", CONDA_SUBCOMMANDS],
  ["uv", subcommands("pip", "sync", "run", "add", "venv", "tool", "python", "lock", "export", "cache")],
  ["poetry", subcommands("install", "add", "lock", "config", "export", "build")],
  ["npm", subcommands("install", "ci", "i", "run", "exec", "cache", "config", "prune", "rebuild")],
  ["pnpm", subcommands("install", "i", "add", "run", "exec", "fetch", "deploy")],
  ["yarn", subcommands("install", "add", "run", "build", "cache")],
  [
    "git",
    subcommands(...["clone", "checkout", "fetch", "pull", "submodule", "config", "apply", "init", "reset", "lfs", "remote", "clean"]),
  ],
  ["go", subcommands("build", "install", "get", "mod", "run", "test", "generate")],
  ["cargo", subcommands("build", "install", "fetch", "run", "test")],
  ["make", subcommands("install", "all", "build", "clean", "test", "check")],
  ["python", (arg) => optionOrPath(arg) || arg.endsWith(".py")],
  ["sh", (arg) => optionOrPath(arg) || arg.endsWith(".sh")],
  ["bash", (arg) => optionOrPath(arg) || arg.endsWith(".sh")],
  ["curl", (arg) => optionOrPath(arg) || arg.includes("://")],
  ["wget", (arg) => optionOrPath(arg) || arg.includes("://")],
  ["tar", (arg) => isOption(arg) || /^[cxt][vzjJpO]*f$/.test(arg)],
  ["cmake", optionOrPath],
  ["dpkg", isOption],
  ["sed", (arg) => isOption(arg) || arg.startsWith("s/")],
  ...["rm", "mkdir", "cp", "mv", "ln", "touch", "ls", "cat", "chmod", "chown", "chgrp", "cd"].map(
    (name) => [name, anything] as const,
  ),
  ["echo", anything],
  ["printf", anything],
  ["export", anything],
  ["useradd", anything],
  ["groupadd", anything],
  ["usermod", anything],
]);

function startsNewCommand(line: string): ShellCommand | undefined {
  const [words] = splitCommands(line, false);
  if (words === undefined) return undefined;
  const command = toCommand(words);
  const name = command.name.replace(/^(python|pip)[0-9.]+$/, "$1");
  const shape = COMMAND_SHAPES.get(name);
  const first = command.args[0];
  return shape !== undefined && first !== undefined && shape(first) ? command : undefined;
}

const CONTINUES = /(?:&&|\|\||[|;&\\({])$|(?:^|\s)(?:then|do|else|in)$/;
const STARTS_WITH_OPERATOR = /^(?:&&|\|\||[|;&)}])/;

/** Whether a quoted string is still open at the end of `text`. */
function quoteOpenAfter(text: string): boolean {
  let quoteChar = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoteChar === "'") {
      if (c === "'") quoteChar = "";
    } else if (c === "\\") {
      i++;
    } else if (quoteChar === '"') {
      if (c === '"') quoteChar = "";
    } else if (c === "'" || c === '"') {
      quoteChar = c;
    }
  }
  return quoteChar !== "";
}

const foldedContinuation = defineRule(
  "folded-continuation",
  "warning",
  "A continuation line of a folded runCommand starts like a new command, but the line before ends with no operator.",
  function* (spec) {
    for (const { stage, index, step } of runSteps(spec)) {
      if (step.command.form !== "shell") continue;
      const lines = step.command.lines;
      let previous = -1;
      for (const [n, raw] of lines.entries()) {
        const line = raw.trim();
        if (line === "") continue;
        const before = lines[previous]?.trim();
        const candidate = previous === -1 || before === undefined ? undefined : startsNewCommand(line);
        if (
          before !== undefined &&
          candidate !== undefined &&
          !CONTINUES.test(before) &&
          !STARTS_WITH_OPERATOR.test(line) &&
          !quoteOpenAfter(lines.slice(0, n).join(" "))
        ) {
          const fixed = lines.map((text, k) => (k === previous ? `${text.trimEnd()} &&` : text));
          yield {
            message:
              `Line ${n + 1} ${quote(line)} starts a new command (${candidate.name}), but line ${previous + 1} ` +
              `${quote(before)} does not end with an operator: runCommand folds the lines into one command, ` +
              `${quote(`${before} ${line}`)}, so the second becomes arguments of the first.`,
            fix:
              `end line ${previous + 1} with "&&": .runCommand(${quote(fixed.join("\n"))}); or, for a real ` +
              `multi-line script, .runScript(${quote(lines.join("\n"))})`,
            ...at(stage.id, index),
          };
        }
        previous = n;
      }
    }
  },
);

// ---------------------------------------------------------------------------------------------------------
// 8. Smaller things

const REMOTE = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:\/\/|git@)|\.git(?:#.*)?$/;
const ARCHIVE = /\.(?:tar|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst|lz|lzma|lz4)$/i;

const preferCopy = defineRule(
  "prefer-copy",
  "info",
  "add for plain local files: copy says what it does (add also extracts archives and fetches URLs).",
  function* (spec) {
    for (const stage of spec.stages) {
      for (const [index, step] of stage.steps.entries()) {
        if (step.kind !== "add" || step.checksum !== undefined || step.keepGitDir !== undefined) continue;
        if (step.sources.some((source) => REMOTE.test(source) || ARCHIVE.test(source))) continue;
        yield {
          message:
            `${builderCall(step)} copies local files: add also extracts tar archives and fetches URLs, so a reader ` +
            `must check which it does here; copy only copies.`,
          fix: `.copy(${sourcesArg(step.sources)}, ${quote(step.dest)}) (same options)`,
          ...at(stage.id, index),
        };
      }
    }
  },
);

const relativeWorkdir = defineRule(
  "relative-workdir",
  "info",
  "setWorkdir with a relative path: it depends on the working directory before it.",
  function* (spec) {
    for (const { stage, index, step, state } of walk(spec)) {
      if (step.kind !== "workdir" || step.path.startsWith("/") || step.path.startsWith("$")) continue;
      const resolved = resolvePath(state.workdir ?? "/", step.path);
      yield {
        message:
          `${builderCall(step)} is relative: it resolves against the previous working directory ` +
          `(${state.workdir ?? "the base image's, / if it sets none"}), which a later change above it silently ` +
          `moves.`,
        fix: `use the absolute path: .setWorkdir(${quote(resolved)})`,
        ...at(stage.id, index),
      };
    }
  },
  (spec, finding) => {
    // Only against a working directory this spec sets: the base image's is unknown here.
    const context = walk(spec).find(({ stage, index }) => stage.id === finding.stage && index === finding.step);
    if (context?.step.kind !== "workdir") return undefined;
    const { step, state } = context;
    const from = state.workdir;
    if (from === undefined || step.path.startsWith("/") || /[$\\]/.test(`${from}${step.path}`)) return undefined;
    const path = resolvePath(from, step.path);
    return { step: { kind: "workdir", path }, change: `${quote(step.path)} → ${quote(path)} (resolved against ${quote(from)})` };
  },
);

const exposeSsh = defineRule(
  "expose-ssh",
  "warning",
  "Port 22 is exposed: running sshd in a container widens its attack surface.",
  function* (spec) {
    for (const stage of spec.stages) {
      for (const [index, step] of stage.steps.entries()) {
        if (step.kind !== "expose" || step.port !== 22) continue;
        yield {
          message:
            `${builderCall(step)} exposes SSH: an sshd in the container is one more service with credentials to ` +
            `manage and patch, and it is not how containers are reached.`,
          fix:
            `remove .exposePort(22) and the SSH server; open a shell with "docker exec -it <container> sh" (or ` +
            `kubectl exec) when needed`,
          ...at(stage.id, index),
        };
      }
    }
  },
);

const sudoAfterUser = defineRule(
  "sudo-after-user",
  "info",
  "A run step uses sudo after setUser switched to a non-root user.",
  function* (spec) {
    for (const { stage, index, state, commands } of runSteps(spec)) {
      const user = state.user;
      if (user === undefined || isRootUser(user)) continue;
      const command = commands.find((candidate) => candidate.sudo);
      if (command === undefined) continue;
      yield {
        message:
          `"${command.text}" runs as ${quote(user)} through sudo: an image where the runtime user can sudo to root ` +
          `is not really non-root.`,
        fix:
          `move the command before .setUser(${quote(user)}), where it runs as root, and drop sudo (and the sudo ` +
          `package)`,
        ...at(stage.id, index),
      };
    }
  },
);

// ---------------------------------------------------------------------------------------------------------

/** Every rule, in a stable order. Codes are stable; messages may improve. */
export const lintRules: readonly LintRule[] = Object.freeze([
  nonRootUser,
  latestTag,
  unpinnedBaseImage,
  aptUpdateAlone,
  aptMissingUpdate,
  aptMissingCleanup,
  aptMissingYes,
  aptInstallRecommends,
  preferAptGet,
  aptUpgrade,
  depsAfterSource,
  pipCache,
  secretInConfig,
  secretInRun,
  foldedContinuation,
  preferCopy,
  relativeWorkdir,
  exposeSsh,
  sudoAfterUser,
]);
