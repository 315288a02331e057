// Seed: "Constructor Parameters" > `username: str`.
import { Image } from "@chutes/image-core";

export const image = new Image("mycompany", "custom-ai");
