// Seed: "Class Definition".
// from chutes.image import Image
import { Image } from "@chutes/image-core";

// The seed writes the signature with type annotations:
//   Image(username: str, name: str, tag: str = "latest", readme: Optional[str] = None)
// As a plain call: tag defaults to "latest", readme to undefined.
export const image = new Image("myuser", "myapp");
