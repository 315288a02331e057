// Deciding whether a path is excluded, the way BuildKit's context walker (tonistiigi/fsutil's filter on
// moby/patternmatcher's MatchesUsingParentResults) decides it.

import type { IgnoreRule } from "./dockerignore.ts";
import { ContextError } from "./errors.ts";
import { PatternSyntaxError, compilePattern } from "./pattern.ts";

/** The decision for one path. Pass it back as `parent` when matching the path's children. */
export interface MatchResult {
  /** The path is left out of the context. */
  readonly excluded: boolean;
  /** The rule that decided (the last one that matched); undefined if none matched. */
  readonly rule?: IgnoreRule;
  /**
   * For each rule, in order, whether it matched this path or was inherited from the parent (patternmatcher's
   * `MatchInfo`): a rule that matched a directory matches everything below it. Always set by
   * `IgnoreMatcher.match`; a parent result without it (or with no entries) carries no information, like
   * patternmatcher's zero `MatchInfo`, and every ancestor of the path is tested instead.
   */
  readonly ruleMatches?: readonly boolean[];
}

// fsutil's patternChars: an exclusion holding one of these can match anywhere, so excluded directories must be
// walked; one without them can only match below the directories it names.
const PATTERN_CHARS = /[*[\]?^\\]/;

/** fsutil's patternWithoutTrailingGlob: `a/b/**` and `a/b/*` name the directory `a/b`. */
function withoutTrailingGlob(pattern: string): string {
  let out = pattern;
  if (out.endsWith("/**")) out = out.slice(0, -3);
  if (out.endsWith("/*")) out = out.slice(0, -2);
  return out;
}

/** The ancestors of a relative path, outermost first: `a/b/c` gives `a`, `a/b`. */
function ancestors(path: string): string[] {
  const parts = path.split("/");
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join("/"));
  return out;
}

/** `.dockerignore` rules compiled for matching paths of a context walked parents first. */
export class IgnoreMatcher {
  /** Some rule is an exclusion (`!`), so an excluded directory may hold paths that are kept. */
  readonly hasExclusions: boolean;
  private readonly rules: readonly IgnoreRule[];
  private readonly tests: readonly ((path: string) => boolean)[];
  private readonly exclusionDirs: readonly string[];
  private readonly exclusionsAnywhere: boolean;

  /** Throws a `ContextError` (`invalid-dockerignore`) for a rule whose pattern Docker would reject. */
  constructor(rules: readonly IgnoreRule[]) {
    this.rules = [...rules];
    this.tests = rules.map((rule) => {
      try {
        return compilePattern(rule.pattern).test;
      } catch (error) {
        if (!(error instanceof PatternSyntaxError)) throw error;
        throw new ContextError(
          "invalid-dockerignore",
          `line ${rule.line}: invalid pattern ${JSON.stringify(rule.text)}: ${error.message}`,
          { line: rule.line },
          { cause: error },
        );
      }
    });
    const exclusions = rules.filter((rule) => rule.exclusion).map((rule) => withoutTrailingGlob(rule.pattern));
    this.hasExclusions = exclusions.length > 0;
    this.exclusionsAnywhere = exclusions.some((pattern) => PATTERN_CHARS.test(pattern));
    this.exclusionDirs = exclusions.map((pattern) => `${pattern}/`);
  }

  /**
   * The decision for `path` (relative, `/`-separated, no leading `./`), given the decision for its parent
   * directory (undefined for a top-level path). Rules run in order and the last one that matches decides; a rule
   * that matched the parent matches the path too. This mirrors patternmatcher's `MatchesUsingParentResults`,
   * including its shortcut of not testing a rule that could not change the outcome at that point.
   *
   * Without `parent` for a nested path, every ancestor is tested instead (patternmatcher's
   * `MatchesOrParentMatches`), which gives the same answer except in contrived files.
   */
  match(path: string, parent: MatchResult | undefined): MatchResult {
    const inherited = parent?.ruleMatches ?? [];
    if (inherited.length !== 0 && inherited.length !== this.rules.length) {
      throw new ContextError(
        "invalid-option",
        `the parent result of ${JSON.stringify(path)} holds ${inherited.length} rule matches, not ${this.rules.length}: it comes from another matcher`,
        { path },
      );
    }
    let excluded = false;
    let decided: IgnoreRule | undefined;
    let parents: string[] | undefined;
    const ruleMatches: boolean[] = [];
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      const test = this.tests[i];
      if (rule === undefined || test === undefined) break;
      let matched = inherited[i] ?? false;
      if (!matched) {
        // A rule that could not change the outcome is not tested (and counts as not matched).
        if (rule.exclusion !== excluded) {
          ruleMatches.push(false);
          continue;
        }
        matched = test(path);
        if (!matched && inherited.length === 0) {
          parents ??= ancestors(path);
          matched = parents.some(test);
        }
      }
      ruleMatches.push(matched);
      if (matched) {
        excluded = !rule.exclusion;
        decided = rule;
      }
    }
    return decided === undefined ? { excluded, ruleMatches } : { excluded, rule: decided, ruleMatches };
  }

  /**
   * True when an exclusion (`!`) rule could keep a path below the excluded directory `dir`, so a walker must
   * descend into it (fsutil's logic): always when some exclusion holds a wildcard, `[`, `]`, `^` or `\`;
   * otherwise only when an exclusion names `dir` or a path below it.
   */
  mayMatchUnder(dir: string): boolean {
    if (!this.hasExclusions) return false;
    if (this.exclusionsAnywhere) return true;
    const dirSlash = `${dir}/`;
    return this.exclusionDirs.some((pattern) => pattern.startsWith(dirSlash));
  }
}
