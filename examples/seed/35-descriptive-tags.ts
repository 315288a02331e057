// Seed: "Best Practices" > "Maintainability Best Practices" > 1. Use Descriptive Tags.
import { Image } from "@chutes/image-core";

export const image = new Image("myuser", "myapp", "v1.2.3-python3.11-cuda11.8");
