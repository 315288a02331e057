FROM nvidia/cuda:11.8-devel-ubuntu22.04
RUN apt update && apt install -y \
    python3 python3-pip python3-dev \
    build-essential git curl wget \
    libsm6 libxext6 libfontconfig1 libxrender1
RUN pip3 install --upgrade pip setuptools wheel
RUN pip3 install torch torchvision torchaudio \
    --index-url https://download.pytorch.org/whl/cu118
RUN pip3 install \
    transformers[torch] \
    accelerate \
    datasets \
    tokenizers \
    optimum
RUN pip3 install flash-attn --no-build-isolation
RUN pip3 install xformers
ENV PYTHONOPTIMIZE="2"
ENV TORCH_BACKENDS_CUDNN_BENCHMARK="1"
ENV TRANSFORMERS_CACHE="/opt/models"
ENV HF_HOME="/opt/huggingface"
RUN mkdir -p /opt/models /opt/huggingface /app
RUN chown -R 1000:1000 /opt/models /opt/huggingface /app
USER 1000:1000
WORKDIR /app
RUN apt autoremove -y && \
    apt clean && \
    rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/* ~/.cache/pip
