// Seed: "Advanced Patterns" > "Optimized AI/ML Images".
import { Image } from "@chutes/image-core";

/** Create optimized PyTorch image for specific model. */
export function createPytorchImage(modelName: string, version: string): Image {
  return (
    new Image("myuser", `pytorch-${modelName}`, version)
      .fromBase("nvidia/cuda:11.8-devel-ubuntu22.04")

      // System dependencies
      .runCommand(`
            apt update && apt install -y
            python3 python3-pip python3-dev
            build-essential git curl wget
            libsm6 libxext6 libfontconfig1 libxrender1
        `)

      // Python environment
      .runCommand("pip3 install --upgrade pip setuptools wheel")

      // PyTorch with CUDA
      .runCommand(`
            pip3 install torch torchvision torchaudio
            --index-url https://download.pytorch.org/whl/cu118
        `)

      // ML libraries
      .runCommand(`
            pip3 install
            transformers[torch]
            accelerate
            datasets
            tokenizers
            optimum
        `)

      // Performance libraries
      .runCommand("pip3 install flash-attn --no-build-isolation")
      .runCommand("pip3 install xformers")

      // Environment optimization
      .withEnv("PYTHONOPTIMIZE", "2")
      .withEnv("TORCH_BACKENDS_CUDNN_BENCHMARK", "1")
      .withEnv("TRANSFORMERS_CACHE", "/opt/models")
      .withEnv("HF_HOME", "/opt/huggingface")

      // Setup directories
      .runCommand("mkdir -p /opt/models /opt/huggingface /app")
      .runCommand("chown -R 1000:1000 /opt/models /opt/huggingface /app")

      // Non-root user
      .setUser("1000:1000")
      .setWorkdir("/app")

      // Cleanup
      .runCommand(`
            apt autoremove -y &&
            apt clean &&
            rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/* ~/.cache/pip
        `)
  );
}

// Usage
export const pytorchImage = createPytorchImage("gpt2", "1.0.0");
