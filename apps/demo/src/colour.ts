// Whether the CLI may colour its output: never with NO_COLOR (https://no-color.org), always with FORCE_COLOR,
// otherwise only on a terminal. Everything the CLI colours goes through `colourEnabled`, so one test of the rule
// covers it.

/** The environment variables that decide colour. */
export type ColourEnv = Readonly<Record<string, string | undefined>>;

/**
 * Colour for output written to `stream`: never with a non-empty `NO_COLOR` (whatever else is set: it is the
 * user's way to say no); else `FORCE_COLOR` decides when set (`0`/`false` off, anything else on, a terminal or
 * not); else only on a terminal whose `TERM` is not `dumb`.
 */
export function colourEnabled(stream: { readonly isTTY?: boolean }, env: ColourEnv): boolean {
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

const SGR = { bold: "1", red: "31", green: "32", yellow: "33", faint: "2" } as const;

/** A named ANSI style. */
export type Style = keyof typeof SGR;

/** Paints text with one style when `enabled`; returns it unchanged otherwise. */
export type Painter = (style: Style, text: string) => string;

export function painter(enabled: boolean): Painter {
  return enabled ? (style, text) => `\u001b[${SGR[style]}m${text}\u001b[0m` : (_style, text) => text;
}
