// PyTorch GPU inference, from @chutes/presets (see README.md): the solver picks the CUDA base image, the wheel index
// and exact pins for torch 2.7.1 on L40S and H100 GPUs; the building blocks add a venv, pip's cache mount, torch,
// the Hugging Face cache and an unprivileged user, each recorded as a preset. Render-only here: the nvidia/cuda base
// and the CUDA wheels (gigabytes from download.pytorch.org and PyPI) are not reachable from this machine.
import { Image } from "@chutes/image-core";
import { cudaBase, nonRootUser, pipInstall, resolveTorch, withHfCache, withPipCache, withPythonVenv, withTorch } from "@chutes/presets";
import type { TorchResolution } from "@chutes/presets";

/** torch 2.7.1 for the GPUs the service runs on: the CUDA build, base image and pins that fit them all. */
export const target: TorchResolution = resolveTorch({ torch: "2.7.1", gpus: ["L40S", "H100"] });

/** The model the server loads at start (downloaded into HF_HOME). */
export const MODEL_ID = "distilbert/distilbert-base-uncased-finetuned-sst-2-english";

/** The inference image for a resolution: the same steps on another CUDA, flavor or torch. */
export function createInferenceImage(resolution: TorchResolution): Image {
  return (
    new Image("gallery", "pytorch-inference", "1.0.0")
      // nvidia/cuda:<cuda>-base-ubuntu<release>: only the CUDA entry point; the torch wheels bring the libraries.
      .with(cudaBase(resolution))
      // Before any install, while root: every pip step below runs with a cache mount instead of --no-cache-dir.
      .with(withPipCache())
      .with(withPythonVenv({ python: resolution.python }))
      // torch alone (no torchvision/torchaudio for a text model), pinned for every later pip install.
      .with(withTorch({ resolution, packages: ["torch"] }))
      .copy("requirements.txt", "/app/requirements.txt")
      .with(pipInstall([], { requirements: "/app/requirements.txt" }))
      .with(withHfCache({ owner: "1000:1000" }))
      .copy("serve.py", "/app/serve.py")
      .setWorkdir("/app")
      // Ubuntu 24.04 already has uid 1000 (`ubuntu`): nonRootUser creates one only when the uid is free.
      .with(nonRootUser())
      .withEnv("MODEL_ID", MODEL_ID)
      .withEnv("PORT", "8000")
      .exposePort(8000)
      // The first start downloads the model: give it time before failed checks count.
      .withHealthcheck(["python", "/app/serve.py", "--check"], { interval: "30s", timeout: "5s", startPeriod: "5m", retries: 3 })
      .withEntrypoint(["python", "/app/serve.py"])
  );
}

export const image = createInferenceImage(target);
