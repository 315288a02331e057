// The .dockerignore conformance cases: a file tree and an ignore file each. `generate.mjs` asks the real engine
// (Docker 26 / BuildKit 0.13, engine B) which paths `FROM scratch` + `COPY . /` keeps for each of them and records
// the answers in packages/context/test/conformance/fixtures.json.
//
// A case:
//   id           unique, kebab-case
//   rules        the semantic rules (numbers in RULES below) the case pins down
//   why          what the case shows, in one sentence
//   tree         entries: "path" is a file, "path/" an (empty) directory, "path -> target" a symlink;
//                parent directories are implied. Defaults to STANDARD_TREE.
//   dockerignore the exact text of `.dockerignore` at the root, or null for none
//   dockerfile   optional path (inside the tree) of the Dockerfile to build with `-f`; by default the Dockerfile
//                comes from stdin (`-f -`) and is not part of the context
//   files        optional exact contents for some files of the tree (by path); others hold their own path

/** The semantic rules, referenced by number from each case. */
export const RULES = {
  1: "reading: a BOM is dropped, lines end at \\n (one \\r before it is dropped), only a # in the first column starts a comment, Go white space is trimmed, empty lines are skipped",
  2: "! makes an exception; rules run in order and the last one that matches decides",
  3: "patterns are cleaned like Go's filepath.Clean and one leading / is removed; '.', '..' and '/' match nothing",
  4: "patterns are anchored at the root: * and ? never cross /, and there is no implicit **/ in front",
  5: "a pattern that matches a directory excludes everything below it",
  6: "** matches any number of directories; a leading **-then-literal is a plain suffix test and a literal-then-trailing ** a plain prefix test",
  7: "[...] classes are RE2 classes: ranges, [^...] negation (which also matches /), [!...] is literal, POSIX [[:name:]]",
  8: "\\ escapes the next character, with RE2's meaning for letters (\\d, \\s, \\b)",
  9: "regexp metacharacters . + ( ) $ are literal; | { } ^ are not escaped (a patternmatcher bug) and act as regexp syntax in patterns that become regular expressions (with a wildcard, class or escape); without one a pattern is compared as a string",
  10: "an exception reaches into an excluded directory; rules that matched a directory count as matched below it",
  11: "directories: a kept directory appears even if empty; an excluded one appears only when something below it is kept",
  12: "symlinks are never followed: a symlink is matched and copied as itself",
  13: ".dockerignore and the Dockerfile are not force-included",
  14: "<Dockerfile>.dockerignore next to the Dockerfile replaces .dockerignore",
  15: "a malformed pattern fails the build",
  16: "matching is case-sensitive and works on Unicode characters; spaces are ordinary characters",
  17: "Docker 26 fails when a pattern holds an ASCII control character, unless some pattern holds a non-ASCII character (BuildKit then percent-encodes them all)",
};

export const STANDARD_TREE = [
  "README.md",
  "a.txt",
  "b.md",
  "Makefile",
  "src/main.go",
  "src/main_test.go",
  "src/util/helper.go",
  "src/util/notes.txt",
  "src/keep",
  "docs/guide.md",
  "docs/img/logo.png",
  "node_modules/pkg/index.js",
  "node_modules/pkg/keep",
  "empty/",
  "build/out/",
];

/** @type {{ id: string, rules: number[], why: string, tree?: string[], dockerignore: string | null, dockerfile?: string, files?: Record<string, string> }[]} */
export const CASES = [
  // ------------------------------------------------------------------------------------------------ baseline
  { id: "no-dockerignore", rules: [11], why: "without .dockerignore everything is copied, empty directories included", dockerignore: null },
  { id: "empty-dockerignore", rules: [1], why: "an empty file excludes nothing", dockerignore: "" },
  { id: "single-file", rules: [4], why: "a plain name excludes that top-level file", dockerignore: "a.txt\n" },
  { id: "single-dir", rules: [5, 11], why: "a directory name excludes the directory and everything below it", dockerignore: "src\n" },

  // ------------------------------------------------------------------------------------------------ reading
  { id: "comment-first-column", rules: [1], why: "# in the first column is a comment", tree: ["#a", "a", "b"], dockerignore: "#a\nb\n" },
  { id: "comment-after-space", rules: [1], why: "a # after a space is part of the pattern (after trimming)", tree: ["#a", "a"], dockerignore: " #a\n" },
  { id: "comment-after-tab", rules: [1], why: "a # after a tab is a pattern too", tree: ["#x.txt", "x.txt"], dockerignore: "\t#x.txt\n" },
  { id: "hash-inside-pattern", rules: [1], why: "# inside a pattern is literal", tree: ["a#b", "ab"], dockerignore: "a#b\n" },
  { id: "trailing-spaces", rules: [1], why: "trailing spaces are trimmed", dockerignore: "a.txt   \nb.md\t\n" },
  { id: "leading-spaces", rules: [1], why: "leading spaces are trimmed", dockerignore: "   a.txt\n\t\tb.md\n" },
  { id: "crlf-line-ends", rules: [1], why: "CRLF line ends work like LF", dockerignore: "a.txt\r\nsrc\r\n!src/keep\r\n" },
  { id: "cr-only-is-one-line", rules: [1, 17], why: "a lone CR does not end a line, so the line matches nothing", dockerignore: "a.txt\rb.md\n" },
  { id: "utf8-bom", rules: [1], why: "a BOM before the first line is dropped", dockerignore: "\uFEFFa.txt\nb.md\n" },
  { id: "utf8-bom-comment", rules: [1], why: "after the BOM, a # line is still a comment", tree: ["#a", "a"], dockerignore: "\uFEFF#a\na\n" },
  { id: "no-final-newline", rules: [1], why: "the last line needs no newline", dockerignore: "a.txt\nb.md" },
  { id: "blank-lines", rules: [1], why: "empty and blank lines are skipped", dockerignore: "\n\n   \n\t\na.txt\n\n" },
  { id: "nbsp-trimmed", rules: [1], why: "Go trims U+00A0 (no-break space) like a space", tree: ["a.txt", "a.txt\u00a0"], dockerignore: "a.txt\u00a0\n" },
  { id: "nel-trimmed", rules: [1], why: "Go trims U+0085 (next line), which JavaScript's trim() keeps", tree: ["a.txt", "b"], dockerignore: "a.txt\u0085\n" },
  { id: "bom-second-line", rules: [1], why: "a BOM on a later line is not trimmed (Go does not count U+FEFF as space), so \\uFEFFb matches nothing", tree: ["a", "b"], dockerignore: "a\n\uFEFFb\n" },
  { id: "space-inside-pattern", rules: [16], why: "spaces inside a pattern are ordinary characters", tree: ["my file.txt", "my", "file.txt", "dir with space/x"], dockerignore: "my file.txt\ndir with space\n" },

  // ------------------------------------------------------------------------------------------------ exceptions and order
  { id: "exception-after", rules: [2], why: "an exception after a wildcard re-includes", dockerignore: "*.md\n!README.md\n" },
  { id: "exception-before", rules: [2], why: "an exception before the rule that matches is overridden", dockerignore: "!README.md\n*.md\n" },
  { id: "exception-space-after-bang", rules: [1, 2], why: "spaces after ! are trimmed", dockerignore: "*.md\n!   README.md\n" },
  { id: "exclude-all-keep-one", rules: [2, 13], why: "* then !name keeps only that name (and not .dockerignore)", dockerignore: "*\n!a.txt\n" },
  { id: "exclude-all-keep-dir", rules: [2, 10], why: "* then !dir keeps the whole directory", dockerignore: "*\n!src\n" },
  { id: "reexclude-after-exception", rules: [2, 10], why: "a later rule excludes again inside a re-included directory", dockerignore: "src\n!src/util\nsrc/util/*.txt\n" },
  { id: "exception-then-all", rules: [2], why: "an exception followed by * loses", dockerignore: "!a.txt\n*\n" },
  { id: "double-exception", rules: [2], why: "two exceptions in a row are harmless", dockerignore: "*.md\n!README.md\n!README.md\n" },
  { id: "lone-exception-no-effect", rules: [2], why: "an exception without an earlier exclusion changes nothing", dockerignore: "!a.txt\n" },
  { id: "repeated-pattern-after-exception", rules: [2, 10], why: "MatchesUsingParentResults: repeating the directory pattern after an exception below it does not exclude again", tree: ["a/b/c", "a/x"], dockerignore: "a\n!a/b\na\n" },
  { id: "repeated-wildcard-after-exception", rules: [2, 10], why: "the same with a wildcard directory pattern", tree: ["a/b/c", "a/x", "z/b/c"], dockerignore: "*\n!*/b\n*\n" },

  // ------------------------------------------------------------------------------------------------ cleaning
  { id: "clean-dot-slash", rules: [3], why: "./x is x", dockerignore: "./a.txt\n./src/util\n" },
  { id: "clean-leading-slash", rules: [3], why: "/x is x", dockerignore: "/a.txt\n/src/util\n" },
  { id: "clean-double-leading-slash", rules: [3], why: "//x is x", dockerignore: "//a.txt\n" },
  { id: "clean-trailing-slash", rules: [3, 5], why: "dir/ is dir (and still matches only the directory name)", dockerignore: "src/\ndocs/img/\n" },
  { id: "clean-trailing-slash-file", rules: [3], why: "a trailing slash does not limit the pattern to directories", dockerignore: "a.txt/\n" },
  { id: "clean-double-slash", rules: [3], why: "x//y is x/y", dockerignore: "src//util\n" },
  { id: "clean-dot-segment", rules: [3], why: "x/./y is x/y", dockerignore: "src/./util\n" },
  { id: "clean-dotdot-inside", rules: [3], why: "x/../y is y", dockerignore: "src/../a.txt\n" },
  { id: "clean-dotdot-to-dot", rules: [3], why: "x/.. is ., which matches nothing", dockerignore: "src/..\n" },
  { id: "clean-dotdot-escape", rules: [3], why: "../x matches nothing", tree: ["x", "y"], dockerignore: "../x\n" },
  { id: "clean-dot", rules: [3], why: ". matches nothing (the root is never excluded)", dockerignore: ".\n" },
  { id: "clean-slash", rules: [3], why: "/ matches nothing", dockerignore: "/\n" },
  { id: "clean-slash-dotdot", rules: [3], why: "/.. is / and matches nothing", dockerignore: "/..\n" },
  { id: "clean-exception-slash", rules: [3, 2], why: "!/x is an exception for x", dockerignore: "*.md\n!/README.md\n" },
  { id: "clean-leading-space-after-dotdot", rules: [1, 3], why: "x/../ a cleans to ' a', which is trimmed again to a", tree: ["a", " a", "b"], dockerignore: "x/../ a\n" },
  { id: "clean-exception-keeps-space", rules: [1, 3], why: "!x/../ a cleans to '! a': the exception keeps the leading space", tree: ["a", " a", "b"], dockerignore: "*\n!x/../ a\n" },
  { id: "clean-bang-after-dotdot", rules: [2, 3], why: "x/../!a cleans to !a, an exception", tree: ["a", "!a", "b"], dockerignore: "*\nx/../!a\n" },

  // ------------------------------------------------------------------------------------------------ anchoring, * and ?
  { id: "star-top-level-only", rules: [4], why: "*.md matches only top-level names", dockerignore: "*.md\n" },
  { id: "star-matches-dirs", rules: [4, 5], why: "* matches directory names too, excluding their contents", dockerignore: "*\n" },
  { id: "star-slash", rules: [3, 4], why: "*/ is *", dockerignore: "*/\n" },
  { id: "star-second-level", rules: [4], why: "*/* matches the second level", dockerignore: "*/*\n" },
  { id: "star-second-level-ext", rules: [4], why: "*/*.go matches .go files one level down only", dockerignore: "*/*.go\n" },
  { id: "star-prefix", rules: [4], why: "src/* excludes the children but keeps src itself", dockerignore: "src/*\n" },
  { id: "star-in-middle", rules: [4], why: "a*b matches within one name", tree: ["ab", "axxb", "a/b", "ba"], dockerignore: "a*b\n" },
  { id: "star-no-implicit-recursion", rules: [4], why: "a name pattern does not match deeper paths", dockerignore: "helper.go\nkeep\n" },
  { id: "star-hidden-files", rules: [4], why: ".* matches dotfiles, .dockerignore included", tree: [".env", ".git/config", "a.txt", "x/.hidden"], dockerignore: ".*\n" },
  { id: "question-one-char", rules: [4], why: "? matches exactly one character", tree: ["a.txt", "ab.txt", ".txt", "b.md"], dockerignore: "?.txt\n" },
  { id: "question-not-slash", rules: [4], why: "? does not match /", tree: ["a/c", "abc", "ac"], dockerignore: "a?c\n" },
  { id: "question-unicode", rules: [4, 16], why: "? matches one Unicode character, even outside the BMP", tree: ["é.md", "ab.md", "😀.md", "ü"], dockerignore: "?.md\n" },
  { id: "partial-name-no-match", rules: [4], why: "a pattern must match the whole name", tree: ["dir/x", "di", "dirx"], dockerignore: "di\n" },
  { id: "case-sensitive", rules: [16], why: "matching is case-sensitive", tree: ["a.TXT", "a.txt", "README", "readme"], dockerignore: "*.txt\nREADME\n" },

  // ------------------------------------------------------------------------------------------------ directories
  { id: "dir-nested", rules: [5], why: "a nested directory path excludes its subtree", dockerignore: "src/util\n" },
  { id: "dir-parent-match-deep", rules: [5], why: "a two-level pattern excludes everything deeper", tree: ["a/b/c/d/e", "a/bb/c", "a/bc", "b"], dockerignore: "a/b\n" },
  { id: "dir-wildcard-parent", rules: [4, 5], why: "*/b excludes x/b and everything below it", tree: ["x/b/c", "y/b", "b/c", "x/bb"], dockerignore: "*/b\n" },
  { id: "dir-double-star-children", rules: [6, 11], why: "dir/** excludes the children but keeps dir itself", dockerignore: "src/**\n" },
  { id: "dir-empty-excluded", rules: [11], why: "an excluded empty directory disappears", dockerignore: "empty\n" },
  { id: "dir-empty-kept", rules: [11], why: "empty directories are kept when not excluded", tree: ["e1/", "e2/e3/", "f"], dockerignore: "f\n" },
  { id: "dir-all-children-excluded", rules: [11], why: "a kept directory whose children are all excluded appears empty", dockerignore: "docs/*\nsrc/*\n" },

  // ------------------------------------------------------------------------------------------------ **
  { id: "dstar-ext", rules: [6], why: "**/*.go matches at every depth, the top level included", tree: ["x.go", "a/y.go", "a/b/c/z.go", "a/b/c/z.gox", "go"], dockerignore: "**/*.go\n" },
  { id: "dstar-name", rules: [6, 5], why: "**/node_modules matches that directory anywhere", tree: ["node_modules/x", "a/node_modules/y", "a/b/node_modules/", "a/node_modulesx"], dockerignore: "**/node_modules\n" },
  { id: "dstar-middle", rules: [6], why: "a/**/b matches a/b and a/x/y/b", tree: ["a/b", "a/x/b", "a/x/y/b", "a/bb", "b", "c/a/b"], dockerignore: "a/**/b\n" },
  { id: "dstar-middle-ext", rules: [6], why: "a/**/*.txt includes a/x.txt (zero directories)", tree: ["a/x.txt", "a/b/y.txt", "a/b/c/z.txt", "b/w.txt", "a/x.md"], dockerignore: "a/**/*.txt\n" },
  { id: "dstar-only", rules: [6], why: "** alone excludes everything", dockerignore: "**\n" },
  { id: "dstar-slash", rules: [3, 6], why: "**/ is ** after cleaning", dockerignore: "**/\n" },
  { id: "dstar-trailing", rules: [6], why: "a/** is a prefix test on a/", tree: ["a/b/c", "a/d", "a/e/", "ab/c", "a.txt"], dockerignore: "a/**\n" },
  { id: "dstar-prefix-quirk", rules: [6], why: "foo** is a plain prefix test: it matches foobar and foo/x", tree: ["foo", "foobar", "foo.d/x", "fo", "xfoo"], dockerignore: "foo**\n" },
  { id: "dstar-suffix-quirk", rules: [6], why: "**foo is a plain suffix test: it matches barfoo and x/yfoo", tree: ["foo", "barfoo", "x/yfoo", "x/foo", "foox", "fo"], dockerignore: "**foo\n" },
  { id: "dstar-suffix-ext", rules: [6], why: "**.go is a suffix test on .go at every depth", tree: ["a.go", "x/y.go", "x/y.gox", "go", ".go"], dockerignore: "**.go\n" },
  { id: "dstar-suffix-slash", rules: [6], why: "**/foo matches foo and any x/foo", tree: ["foo", "a/foo", "a/b/foo/c", "afoo", "a/bfoo"], dockerignore: "**/foo\n" },
  { id: "dstar-glued", rules: [6], why: "a**b is a(.*/)?b: it matches a/b and ax/b but not axb", tree: ["ab", "a/b", "ax/b", "axb", "a/x/b"], dockerignore: "a**b\n" },
  { id: "dstar-both-ends", rules: [6], why: "**/a/** excludes everything below any a", tree: ["a/x", "b/a/y", "b/a/e/", "c/ab/z", "d/a"], dockerignore: "**/a/**\n" },
  { id: "dstar-triple", rules: [6], why: "*** is ** followed by *", tree: ["x", "a/y", "a/b/z"], dockerignore: "***\n" },
  { id: "dstar-dir-then-star", rules: [6], why: "**/* matches everything", tree: ["x", "a/y", "e/"], dockerignore: "**/*\n" },

  // ------------------------------------------------------------------------------------------------ classes
  { id: "class-range", rules: [7], why: "[a-c]* matches names starting with a, b or c", tree: ["apple", "banana", "cherry", "date", "Apple"], dockerignore: "[a-c]*\n" },
  { id: "class-set", rules: [7], why: "[abc].txt matches one of the listed characters", tree: ["a.txt", "b.txt", "d.txt", "ab.txt"], dockerignore: "[abc].txt\n" },
  { id: "class-caret-negation", rules: [7], why: "[^a].txt is a negated class", tree: ["a.txt", "b.txt", "^.txt", "!.txt"], dockerignore: "[^a].txt\n" },
  { id: "class-bang-literal", rules: [7], why: "[!a].txt is not negated: it matches ! or a", tree: ["a.txt", "b.txt", "!.txt"], dockerignore: "[!a].txt\n" },
  { id: "class-negation-matches-slash", rules: [7], why: "a negated class matches / (it is a regexp class), so x[^a]y matches x/y", tree: ["x/y", "xby", "xay", "x/z"], dockerignore: "x[^a]y\n" },
  { id: "class-slash", rules: [7], why: "[/] matches a slash", tree: ["a/b", "ab"], dockerignore: "a[/]b\n" },
  { id: "class-posix", rules: [7], why: "[[:upper:]]* is a POSIX class", tree: ["README", "readme", "Makefile", "x"], dockerignore: "[[:upper:]]*\n" },
  { id: "class-posix-digit", rules: [7], why: "[[:digit:]] matches one digit", tree: ["v1", "v2x", "va", "v10"], dockerignore: "v[[:digit:]]\n" },
  { id: "class-escaped-bracket", rules: [7, 8], why: "[\\]] matches ]", tree: ["]", "a", "\\"], dockerignore: "[\\]]\n" },
  { id: "class-star-inside", rules: [7], why: "[*] becomes the regexp [[^/]*]: a class of [ ^ / repeated, then ]", tree: ["*", "]", "[]", "^^]", "a]", "x"], dockerignore: "[*]\n" },
  { id: "class-question-inside", rules: [7], why: "[?] becomes [[^/]]: one of [ ^ / then ]", tree: ["?", "[]", "^]", "a]"], dockerignore: "[?]\n" },
  { id: "class-dot-inside", rules: [7, 9], why: "[.] matches a literal dot only", tree: ["a", "x.y", "xzy"], dockerignore: "x[.]y\n" },
  { id: "class-posix-negated", rules: [7], why: "[[:^digit:]] is a negated POSIX class", tree: ["v1", "vx", "v/"], dockerignore: "v[[:^digit:]]\n" },
  { id: "class-escape-inside", rules: [7, 8], why: "an escaped - inside a class is literal", tree: ["a", "-", "z", "m"], dockerignore: "[a\\-z]\n" },
  { id: "class-range-unicode", rules: [7, 16], why: "classes work on Unicode characters", tree: ["α", "β", "ω", "a"], dockerignore: "[α-β]\n" },

  // ------------------------------------------------------------------------------------------------ escapes
  { id: "escape-star", rules: [8], why: "\\* matches a literal *", tree: ["*literal", "xliteral", "literal"], dockerignore: "\\*literal\n" },
  { id: "escape-question", rules: [8], why: "\\? matches a literal ?", tree: ["a?", "ab"], dockerignore: "a\\?\n" },
  { id: "escape-brackets", rules: [8], why: "\\[x\\] matches the name [x]", tree: ["[x]", "x"], dockerignore: "\\[x\\]\n" },
  { id: "escape-backslash", rules: [8], why: "\\\\ matches a backslash in a name", tree: ["a\\b", "ab"], dockerignore: "a\\\\b\n" },
  { id: "escape-bang", rules: [2, 8], why: "\\! makes a pattern for a name starting with !", tree: ["!keep", "keep"], dockerignore: "\\!keep\n" },
  { id: "escape-hash", rules: [1, 8], why: "\\# makes a pattern for a name starting with #", tree: ["#x", "x"], dockerignore: "\\#x\n" },
  { id: "escape-digit-class", rules: [8], why: "\\d is RE2's digit class, not a literal d", tree: ["f1", "fd", "f12"], dockerignore: "f\\d\n" },
  { id: "escape-space-class", rules: [8], why: "\\s is RE2's space class", tree: ["a b", "asb", "ab"], dockerignore: "a\\sb\n" },
  { id: "escape-word-boundary", rules: [8], why: "a\\b is a followed by a word boundary: it matches a", tree: ["a", "ab", "a\\b"], dockerignore: "a\\b\n" },
  { id: "escape-dot", rules: [8, 9], why: "\\. matches a dot", tree: [".hidden", "xhidden"], dockerignore: "\\.hidden\n" },
  { id: "escape-hex", rules: [8], why: "\\x41 is RE2's hex escape for A", tree: ["A", "x41", "a"], dockerignore: "\\x41\n" },
  { id: "escape-octal", rules: [8], why: "\\101 is RE2's octal escape for A", tree: ["A", "101", "a"], dockerignore: "\\101\n" },
  { id: "escape-unicode-class", rules: [7, 8, 16], why: "\\p{Greek} is RE2's Unicode script class (the { is not escaped)", tree: ["αβ", "ab", "α1"], dockerignore: "\\p{Greek}*\n" },
  { id: "escape-unicode-letter", rules: [7, 8, 16], why: "\\pL is RE2's letter class", tree: ["A", "é", "1", "pL"], dockerignore: "\\pL\n" },
  { id: "escape-hex-braces", rules: [8, 9], why: "\\x{41} is RE2's braced hex escape", tree: ["A", "x{41}"], dockerignore: "\\x{41}\n" },
  { id: "escape-underscore", rules: [8], why: "\\_ is a literal underscore", tree: ["a_b", "ab"], dockerignore: "a\\_b\n" },
  { id: "escape-literal-letter", rules: [8], why: "an escaped punctuation character is itself", tree: ["a-b", "ab"], dockerignore: "a\\-b\n" },

  // ------------------------------------------------------------------------------------------------ regexp metacharacters
  { id: "meta-plus-parens-pipe-braces", rules: [9], why: "+ ( ) | { } are literal", tree: ["a+b(c)|{d}", "ab", "aab(c)|{d}", "c"], dockerignore: "a+b(c)|{d}\n" },
  { id: "meta-in-wildcard", rules: [9], why: "metacharacters stay literal next to wildcards", tree: ["x+1.txt", "xx1.txt", "(a).log", "a.log"], dockerignore: "x+*.txt\n(*).log\n" },
  { id: "meta-dot", rules: [9], why: ". is literal: x.y does not match xzy", tree: ["x.y", "xzy"], dockerignore: "x.y\n*.y\n" },
  { id: "meta-dollar", rules: [9], why: "$ is literal", tree: ["$HOME", "HOME", "a$", "a$b"], dockerignore: "$HOME\n*$\n" },
  { id: "meta-caret-exact", rules: [9], why: "a^b without wildcards is an exact match", tree: ["a^b", "ab"], dockerignore: "a^b\n" },
  { id: "meta-caret-wildcard", rules: [9], why: "with a wildcard, ^ is a regexp anchor and x^* matches nothing", tree: ["x^y", "x^", "xy"], dockerignore: "x^*\n" },
  { id: "meta-pipe-alternation", rules: [9], why: "*.js|*.ts is the regexp ^[^/]*\\.js|[^/]*\\.ts$: two unanchored alternatives", tree: ["a.js", "a.json", "b.ts", "src/c.ts", "src/d.js", "x.tsx"], dockerignore: "*.js|*.ts\n" },
  { id: "meta-brace-repeat", rules: [9], why: "a{2}* repeats a twice", tree: ["aax", "a{2}x", "ax", "aaax"], dockerignore: "a{2}*\n" },
  { id: "meta-brace-not-a-repeat", rules: [9], why: "a { that does not start a repetition is literal", tree: ["a{x}y", "ax", "a{,2}b", "aab"], dockerignore: "a{x}*\na{,2}*\n" },
  { id: "meta-brace-escaped", rules: [8, 9], why: "\\{ is a literal brace", tree: ["a{2}x", "aax"], dockerignore: "a\\{2}*\n" },
  { id: "meta-braces-quantifier-literal", rules: [9], why: "a{2} is literal, not a repetition", tree: ["a{2}", "aa"], dockerignore: "a{2}\n" },

  // ------------------------------------------------------------------------------------------------ exceptions into excluded directories
  { id: "exception-deep-file", rules: [10, 11], why: "dir then !dir/sub/file keeps that file and the directories on its path", tree: ["dir/sub/file", "dir/sub/other", "dir/x", "dir/e/"], dockerignore: "dir\n!dir/sub/file\n" },
  { id: "exception-subdir", rules: [10], why: "dir then !dir/sub keeps all of sub", tree: ["dir/sub/a", "dir/sub/b/c", "dir/x"], dockerignore: "dir\n!dir/sub\n" },
  { id: "exception-star-children", rules: [10, 11], why: "dir/* then !dir/keep", tree: ["dir/keep", "dir/x", "dir/y/z"], dockerignore: "dir/*\n!dir/keep\n" },
  { id: "exception-dstar-anywhere", rules: [10, 6], why: "!**/keep reaches into every excluded directory", dockerignore: "src\nnode_modules\n!**/keep\n" },
  { id: "exception-dstar-nothing", rules: [10, 11], why: "an exception that keeps nothing below leaves the excluded directory out", dockerignore: "src\n!**/nomatch\n" },
  { id: "exception-wildcard-file", rules: [10], why: "!dir/*.txt keeps matching files in an excluded dir", tree: ["dir/a.txt", "dir/b.md", "dir/c/d.txt"], dockerignore: "dir\n!dir/*.txt\n" },
  { id: "exception-toplevel-wildcard-not-deep", rules: [4, 10], why: "!*.txt does not reach into dir (it is anchored)", tree: ["dir/a.txt", "x.txt", "y.md"], dockerignore: "*\n!*.txt\n" },
  { id: "exception-dir-then-exclude-children", rules: [10, 11], why: "a re-included directory whose children are excluded again appears empty", tree: ["a/b/c", "a/b/d/e", "a/x"], dockerignore: "a\n!a/b\na/b/*\n" },
  { id: "exception-deep-nesting", rules: [10, 11], why: "an exception six levels down keeps only its path", tree: ["a/b/c/d/e/f/file", "a/b/c/d/e/f/other", "a/b/c/d/x", "a/b/y", "a/z"], dockerignore: "a/b/c\n!a/b/c/d/e/f/file\n" },
  { id: "exception-literal-elsewhere", rules: [10, 11], why: "a literal exception elsewhere does not bring back an excluded directory", tree: ["dir/a", "other/b"], dockerignore: "dir\nother\n!other/b\n" },
  { id: "exception-dir-itself", rules: [10, 11], why: "!dir after dir brings the whole directory back", tree: ["dir/a", "dir/b/c", "dir/e/"], dockerignore: "dir\n!dir\n" },
  { id: "exception-empty-dir", rules: [10, 11], why: "an exception for an empty directory keeps it", tree: ["x/e/", "x/f", "y"], dockerignore: "*\n!x/e\n" },
  { id: "exception-dstar-dir-children", rules: [6, 10], why: "node_modules/** with !node_modules/pkg/keep", dockerignore: "node_modules/**\n!node_modules/pkg/keep\n" },
  { id: "exception-class-descends", rules: [7, 10], why: "an exception with a class makes the walker descend everywhere", tree: ["d/k1", "d/k2", "d/x", "e/k3"], dockerignore: "d\ne\n![de]/k[12]\n" },
  { id: "exception-trailing-glob-prefix", rules: [10], why: "!dir/sub/* keeps the children of sub inside excluded dir", tree: ["dir/sub/a", "dir/sub/b/c", "dir/x"], dockerignore: "dir\n!dir/sub/*\n" },
  { id: "exception-only-dir-not-file", rules: [10, 11], why: "a file-only exclusion after a directory exception", tree: ["logs/a.log", "logs/keep/b.log", "logs/keep/c.txt"], dockerignore: "logs\n!logs/keep\nlogs/keep/*.log\n" },
  { id: "exception-dstar-middle", rules: [6, 10], why: "!dir/**/*.go reaches into the excluded dir at any depth", tree: ["dir/a.go", "dir/x/b.go", "dir/x/c.txt", "dir/y/"], dockerignore: "dir\n!dir/**/*.go\n" },
  { id: "exception-trailing-slash", rules: [3, 10], why: "!dir/sub/ is !dir/sub", tree: ["dir/sub/a", "dir/b"], dockerignore: "dir\n!dir/sub/\n" },
  { id: "exception-keeps-dockerignore", rules: [2, 13], why: "* then !.dockerignore keeps the ignore file", tree: ["a", "b/c"], dockerignore: "*\n!.dockerignore\n" },
  { id: "exception-prefix-sibling", rules: [10, 11], why: "!dirx/a does not make the walker enter dir", tree: ["dir/a", "dirx/a", "dirx/b"], dockerignore: "dir\ndirx\n!dirx/a\n" },
  { id: "node-git-typical", rules: [2, 5, 6, 10], why: "a typical file: .git, node_modules, *.log, !important.log", tree: [".git/HEAD", ".git/objects/ab/cd", "node_modules/x/y.js", "app.log", "important.log", "src/app.js", "src/debug.log"], dockerignore: ".git\nnode_modules\n*.log\n**/*.log\n!important.log\n" },

  // ------------------------------------------------------------------------------------------------ symlinks
  { id: "symlink-not-followed", rules: [12], why: "a symlink to an excluded directory is kept as a symlink", tree: ["dir/x", "link -> dir"], dockerignore: "dir\n" },
  { id: "symlink-excluded-itself", rules: [12], why: "a pattern naming the symlink excludes it, not its target", tree: ["dir/x", "link -> dir"], dockerignore: "link\n" },
  { id: "symlink-path-through-link", rules: [12], why: "link/* does not reach through the link", tree: ["dir/x", "link -> dir"], dockerignore: "link/*\n" },
  { id: "symlink-file", rules: [12], why: "a symlink to a file is matched by its own name", tree: ["target.txt", "alias.md -> target.txt"], dockerignore: "*.txt\n" },
  { id: "symlink-dangling", rules: [12], why: "a dangling symlink is kept", tree: ["broken -> nowhere", "a"], dockerignore: "a\n" },
  { id: "symlink-outside", rules: [12], why: "a symlink pointing outside the context is copied as a link", tree: ["etc -> /etc", "up -> ../..", "a"], dockerignore: "a\n" },
  { id: "symlink-exception-through-link", rules: [10, 12], why: "an exception through a symlink keeps nothing", tree: ["dir/x", "link -> dir"], dockerignore: "*\n!link/x\n" },
  { id: "symlink-in-excluded-dir", rules: [10, 12], why: "a symlink inside an excluded directory can be re-included", tree: ["dir/l -> ../t", "dir/f", "t"], dockerignore: "dir\n!dir/l\n" },
  { id: "symlink-dstar", rules: [6, 12], why: "**/x matches a symlink named x", tree: ["a/x -> ../y", "y", "b/x"], dockerignore: "**/x\n" },

  // ------------------------------------------------------------------------------------------------ .dockerignore and Dockerfile
  { id: "ignore-dockerignore", rules: [13], why: ".dockerignore can exclude itself", dockerignore: ".dockerignore\n" },
  { id: "ignore-dockerfile", rules: [13], why: "the Dockerfile used for the build can be excluded", dockerfile: "Dockerfile", tree: ["Dockerfile", "a.txt"], dockerignore: "Dockerfile\n.dockerignore\n" },
  { id: "dockerfile-kept", rules: [13], why: "the Dockerfile is a normal file of the context", dockerfile: "Dockerfile", tree: ["Dockerfile", "a.txt"], dockerignore: "a.txt\n" },
  { id: "ignore-all-but-dockerfile", rules: [13], why: "* excludes the Dockerfile and .dockerignore too", dockerfile: "Dockerfile", tree: ["Dockerfile", "a.txt", "src/x"], dockerignore: "*\n!src\n" },
  { id: "dockerfile-specific-ignore", rules: [14], why: "build/app.Dockerfile.dockerignore is used instead of .dockerignore", dockerfile: "build/app.Dockerfile", tree: ["build/app.Dockerfile", "build/app.Dockerfile.dockerignore", "a.txt", "b.md", "src/x"], files: { "build/app.Dockerfile.dockerignore": "b.md\nsrc\n" }, dockerignore: "a.txt\n" },
  { id: "dockerfile-specific-absent", rules: [14], why: "without <Dockerfile>.dockerignore, .dockerignore applies", dockerfile: "build/app.Dockerfile", tree: ["build/app.Dockerfile", "a.txt", "b.md"], dockerignore: "a.txt\n" },
  { id: "dockerfile-specific-excludes-itself", rules: [13, 14], why: "<Dockerfile>.dockerignore can exclude itself and the Dockerfile", dockerfile: "build/app.Dockerfile", tree: ["build/app.Dockerfile", "build/app.Dockerfile.dockerignore", "build/x", "a.txt"], files: { "build/app.Dockerfile.dockerignore": "build/app.*\n" }, dockerignore: "a.txt\n" },

  // ------------------------------------------------------------------------------------------------ Unicode and odd names
  { id: "unicode-names", rules: [16], why: "Unicode names match literally and with wildcards", tree: ["résumé.pdf", "日本語/ファイル.txt", "emoji-😀.txt", "plain.txt"], dockerignore: "résumé.pdf\n日本語\nemoji-*\n" },
  { id: "unicode-nfd-differs", rules: [16], why: "NFC and NFD spellings are different names", tree: ["e\u0301", "\u00e9"], dockerignore: "\u00e9\n" },
  { id: "names-with-spaces-wildcards", rules: [16, 4], why: "wildcards match spaces", tree: ["a b c.txt", "abc.txt", "x y/z"], dockerignore: "a *.txt\nx?y\n" },
  { id: "dash-and-dots", rules: [9, 16], why: "names with dashes and several dots", tree: ["a-b.c.d", "a-b-c-d", "..x", "...", "x..y"], dockerignore: "*.c.d\n..*\n" },

  // ------------------------------------------------------------------------------------------------ errors
  { id: "error-lone-bang", rules: [15], why: "a lone ! is an error", dockerignore: "a.txt\n!\n" },
  { id: "error-bang-slash", rules: [15, 3], why: "!/ cleans to a lone !", dockerignore: "!/\n" },
  { id: "error-unterminated-class", rules: [15], why: "an unterminated [ is an error", dockerignore: "a[\n" },
  { id: "error-unterminated-class-only", rules: [15], why: "[ alone is an error", dockerignore: "[\n" },
  { id: "error-empty-class", rules: [15], why: "[] is an error", dockerignore: "[]a\n" },
  { id: "error-empty-negated-class", rules: [15], why: "[^] is an error", dockerignore: "x[^]\n" },
  { id: "error-range-no-end", rules: [15], why: "[a-] is an error", dockerignore: "[a-]\n" },
  { id: "error-trailing-backslash", rules: [15, 8], why: "a trailing \\ is an error", dockerignore: "a\\\n" },
  { id: "error-reversed-range", rules: [15, 7], why: "[z-a] passes filepath.Match but RE2 rejects it when a path is matched", dockerignore: "[z-a]\n" },
  { id: "error-unknown-escape", rules: [15, 8], why: "\\q is not an RE2 escape", dockerignore: "\\q\n" },
  { id: "error-unknown-posix-class", rules: [15, 7], why: "[[:nope:]] is not an RE2 class", dockerignore: "[[:nope:]]\n" },
  { id: "error-repeat-too-big", rules: [15, 9], why: "a repetition above 1000 is refused by RE2", dockerignore: "a{1001}*\n" },
  { id: "error-nested-repeat", rules: [15, 9], why: "*{2} repeats a repetition, which RE2 refuses", dockerignore: "a*{2}\n" },
  { id: "error-backreference", rules: [15, 8], why: "\\1 is a back reference, which RE2 rejects", dockerignore: "a\\1\n" },
  { id: "error-in-exception", rules: [15, 2], why: "a malformed exception is an error too", dockerignore: "*\n![\n" },

  // ------------------------------------------------------------------------------------------------ sending the patterns
  { id: "transport-tab-inside", rules: [17], why: "a tab inside a pattern makes Docker 26 fail", tree: ["a\tb", "c"], dockerignore: "a\tb\n" },
  { id: "transport-tab-with-unicode", rules: [17, 16], why: "with a non-ASCII pattern in the file, the same tab pattern works", tree: ["a\tb", "é", "c"], dockerignore: "a\tb\né\n" },
  { id: "transport-unicode-only", rules: [17, 16], why: "non-ASCII patterns alone are fine", tree: ["é", "e"], dockerignore: "é\n" },
];
