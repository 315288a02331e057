export { renderDockerfile } from "./render.ts";
export type { ImageLike, RenderOptions } from "./render.ts";
export { RenderError } from "./errors.ts";
export type { RenderErrorCode, RenderErrorDetails } from "./errors.ts";
