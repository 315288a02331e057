// @chutes/context: Docker's exact build context, computed, explained, packed and digested.

export { collectContext, contextSteps, hashEntry } from "./collect.ts";
export type { CollectOptions, ContextEntry, ContextManifest, IgnoreSource, ImageInput } from "./collect.ts";
export type { ContextStep, StepVerdict } from "./decide.ts";
export { explainContext } from "./explain.ts";
export type { ContextExplanation, IgnoreVerdict } from "./explain.ts";
export { listContext } from "./list.ts";
export { packContext } from "./pack.ts";
export type { PackOptions } from "./pack.ts";
export { CONTEXT_DIGEST_VERSION, contextDigest } from "./digest.ts";
export { manifestToJSON } from "./manifest-json.ts";
export type { EntryJSON, ManifestJSON } from "./manifest-json.ts";
export { GoFileMode, compareNames, comparePaths, goFileMode, walkTree } from "./walk.ts";
export type { CandidateType, ContextWarning, EntryType, WalkAction, WalkDecision, WalkEntry, WalkOptions } from "./walk.ts";
export { parseDockerignore } from "./dockerignore.ts";
export type { IgnoreRule } from "./dockerignore.ts";
export { IgnoreMatcher } from "./matcher.ts";
export type { MatchResult } from "./matcher.ts";
export { ContextError } from "./errors.ts";
export type { ContextErrorCode, ContextErrorDetails } from "./errors.ts";
