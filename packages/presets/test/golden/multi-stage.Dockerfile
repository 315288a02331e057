FROM nvidia/cuda:12.8.2-devel-ubuntu24.04 AS llm-builder
ENV PIP_CACHE_DIR="/root/.cache/pip"
ENV UV_CACHE_DIR="/root/.cache/uv"
LABEL dev.chutes.preset.pip-cache="{\"env\":[\"PIP_CACHE_DIR\",\"UV_CACHE_DIR\"],\"steps\":2}"
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential git && \
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
LABEL dev.chutes.preset.python-venv="{\"env\":[\"VIRTUAL_ENV\"],\"paths\":[\"/opt/venv\"],\"steps\":5,\"notes\":{\"python\":\"3.12\"}}"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install \
    torch==2.10.0 \
    torchvision==0.25.0 \
    torchaudio==2.10.0 \
    --index-url https://download.pytorch.org/whl/cu128
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.10.0' 'torchvision==0.25.0' 'torchaudio==2.10.0' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cu128\",\"python\":\"3.12\",\"torch\":\"2.10.0\"}}"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install ninja packaging psutil
ENV TORCH_CUDA_ARCH_LIST="8.0;9.0"
ENV MAX_JOBS="4"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip wheel \
    --no-deps \
    --no-build-isolation \
    --wheel-dir /wheels \
    flash-attn==2.8.3

FROM nvidia/cuda:12.8.2-base-ubuntu24.04 AS llm
ENV PIP_CACHE_DIR="/root/.cache/pip"
ENV UV_CACHE_DIR="/root/.cache/uv"
LABEL dev.chutes.preset.pip-cache="{\"env\":[\"PIP_CACHE_DIR\",\"UV_CACHE_DIR\"],\"steps\":2}"
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv && \
    rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV="/opt/venv"
ENV PATH="/opt/venv/bin:$PATH"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install --upgrade pip
LABEL dev.chutes.preset.python-venv="{\"env\":[\"VIRTUAL_ENV\"],\"paths\":[\"/opt/venv\"],\"steps\":5,\"notes\":{\"python\":\"3.12\"}}"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install \
    torch==2.10.0 \
    torchvision==0.25.0 \
    torchaudio==2.10.0 \
    --index-url https://download.pytorch.org/whl/cu128
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.10.0' 'torchvision==0.25.0' 'torchaudio==2.10.0' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cu128\",\"python\":\"3.12\",\"torch\":\"2.10.0\"}}"
COPY --from=llm-builder /wheels /wheels
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install /wheels/*.whl
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install transformers accelerate
ENV PYTHONUNBUFFERED="1"
ENV HF_HOME="/opt/huggingface"
RUN mkdir -p /opt/huggingface && chown -R 1000:1000 /opt/huggingface
LABEL dev.chutes.preset.hf-cache="{\"env\":[\"HF_HOME\"],\"paths\":[\"/opt/huggingface\"],\"steps\":2}"
RUN (getent group 1000 >/dev/null || groupadd -g 1000 appuser) && \
    (getent passwd 1000 >/dev/null || useradd -m -u 1000 -g 1000 -s /bin/bash appuser) && \
    mkdir -p /app && \
    chown -R 1000:1000 /app
USER 1000:1000
WORKDIR /app
LABEL dev.chutes.preset.non-root-user="{\"paths\":[\"/app\"],\"user\":true,\"steps\":3}"
