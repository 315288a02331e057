export { IR_VERSION, STEP_KINDS, assertNever, shellCommandText } from "./ir.ts";
export type {
  AddStep,
  ArgStep,
  CacheMount,
  CmdStep,
  CopyFromStep,
  CopyOptions,
  CopyStep,
  EntrypointStep,
  EnvStep,
  ExposeStep,
  HealthcheckStep,
  ImageRef,
  ImageSpec,
  LabelStep,
  Mount,
  NetworkMode,
  RunCommand,
  RunStep,
  SecretMount,
  ShellStep,
  Stage,
  StageBase,
  Step,
  StepKind,
  TmpfsMount,
  UserStep,
  WorkdirStep,
} from "./ir.ts";
export { ChutesError, ValidationError, formatIssue } from "./errors.ts";
export type { ChutesErrorOptions, Issue, SourceLocation } from "./errors.ts";
export { DEFAULT_PATH } from "./config.ts";
export type { BaseImageConfig, HealthcheckConfig, ImageConfig } from "./config.ts";
export { DEFAULT_BASE_IMAGE, Image, MAINTAINER_LABEL } from "./image.ts";
export type {
  AddOptions,
  HealthcheckOptions,
  ImageTransform,
  RunOptions,
  RunScriptOptions,
  ValueOptions,
} from "./image.ts";
export { METHOD_OF_KIND, validateRef, validateSpec } from "./validate.ts";
export type { SpecOrigins, StageOrigins, StepOrigin } from "./validate.ts";
export { parseSpec } from "./schema.ts";
export type { ParseSpecResult } from "./schema.ts";
export { foldCommand } from "./fold.ts";
export { NAMESPACE_OID, canonicalJson, imageUid, specDigest } from "./identity.ts";
export { isValidDigest, isValidTag, parseImageReference } from "./reference.ts";
export type { ParsedReference, ReferenceResult } from "./reference.ts";
export { classifySource } from "./source.ts";
export type { SourceKind } from "./source.ts";
export { ExpansionError, escapeLiteral, expandWord, referencedVariables } from "./expand.ts";
export type { ExpansionErrorCode, VariableLookup } from "./expand.ts";
export { parseDuration } from "./duration.ts";
export { DEFAULT_SHELL, evaluate } from "./evaluate.ts";
export type { EvaluateOptions, EvaluatedStep, Evaluation, StageEvaluation, StepState } from "./evaluate.ts";
export { lint, lintRules } from "./lint.ts";
export type { LintFinding, LintOptions, LintRewrite, LintRule, LintSeverity } from "./lint.ts";
export { fixLint } from "./lint-fix.ts";
export type { AppliedFix, FixLintInput, FixLintResult } from "./lint-fix.ts";
