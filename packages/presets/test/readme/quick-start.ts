import { renderDockerfile } from "@chutes/dockerfile";
import { createBaseAiImage, createMlImage, createNlpImage, resolveTorch } from "@chutes/presets";

// torch 2.7.1 for an H100 and an RTX 5090: CUDA 12.8, Ubuntu 24.04, exact pins, TORCH_CUDA_ARCH_LIST.
const target = resolveTorch({ torch: "2.7.1", gpus: ["H100", "RTX 5090"] });
console.log(target.baseImage, target.pins, target.archList, target.minDriver);

// The seed's layered images, with those versions resolved and checked.
export const nlp = createNlpImage(createMlImage(createBaseAiImage({ torch: target.pins.torch, cuda: target.index })));
console.log(renderDockerfile(nlp));
