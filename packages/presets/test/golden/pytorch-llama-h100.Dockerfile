FROM nvidia/cuda:11.8.0-devel-ubuntu22.04
ENV PIP_CACHE_DIR="/root/.cache/pip"
ENV UV_CACHE_DIR="/root/.cache/uv"
LABEL dev.chutes.preset.pip-cache="{\"env\":[\"PIP_CACHE_DIR\",\"UV_CACHE_DIR\"],\"steps\":2}"
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential git curl wget libsm6 libxext6 libfontconfig1 libxrender1 && \
    rm -rf /var/lib/apt/lists/*
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-dev && \
    rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV="/opt/venv"
ENV PATH="/opt/venv/bin:$PATH"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install \
    --upgrade \
    pip \
    setuptools \
    wheel
LABEL dev.chutes.preset.python-venv="{\"env\":[\"VIRTUAL_ENV\"],\"paths\":[\"/opt/venv\"],\"steps\":5,\"notes\":{\"python\":\"3.10\"}}"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install \
    torch==2.7.1 \
    torchvision==0.22.1 \
    torchaudio==2.7.1 \
    --index-url https://download.pytorch.org/whl/cu118
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.7.1' 'torchvision==0.22.1' 'torchaudio==2.7.1' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cu118\",\"python\":\"3.10\",\"torch\":\"2.7.1\"}}"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install \
    'transformers[torch]' \
    accelerate \
    datasets \
    tokenizers \
    optimum
ENV TORCH_CUDA_ARCH_LIST="9.0"
ENV MAX_JOBS="4"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install flash-attn --no-build-isolation
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install xformers --index-url https://download.pytorch.org/whl/cu118
ENV PYTHONOPTIMIZE="2"
ENV TORCH_BACKENDS_CUDNN_BENCHMARK="1"
ENV HF_HOME="/opt/huggingface"
ENV TRANSFORMERS_CACHE="/opt/models"
RUN mkdir -p /opt/huggingface /opt/models && chown -R 1000:1000 /opt/huggingface /opt/models
LABEL dev.chutes.preset.hf-cache="{\"env\":[\"HF_HOME\",\"TRANSFORMERS_CACHE\"],\"paths\":[\"/opt/huggingface\",\"/opt/models\"],\"steps\":3}"
RUN (getent group 1000 >/dev/null || groupadd -g 1000 appuser) && \
    (getent passwd 1000 >/dev/null || useradd -m -u 1000 -g 1000 -s /bin/bash appuser) && \
    mkdir -p /app && \
    chown -R 1000:1000 /app
USER 1000:1000
WORKDIR /app
LABEL dev.chutes.preset.non-root-user="{\"paths\":[\"/app\"],\"user\":true,\"steps\":3}"
