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
