// Seed: "Constructor Parameters" > `name: str`.
import { Image } from "@chutes/image-core";

export const image = new Image("mycompany", "text-processor");
