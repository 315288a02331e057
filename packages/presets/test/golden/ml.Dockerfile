FROM nvidia/cuda:11.8.0-base-ubuntu22.04
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
LABEL dev.chutes.preset.python-venv="{\"env\":[\"VIRTUAL_ENV\"],\"paths\":[\"/opt/venv\"],\"steps\":5,\"notes\":{\"python\":\"3.10\"}}"
LABEL dev.chutes.preset.torch-target="{\"steps\":0,\"notes\":{\"index\":\"cu118\",\"python\":\"3.10\",\"torch\":\"2.7.1\"}}"
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install numpy pandas scikit-learn
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install torch==2.7.1 torchvision==0.22.1 --index-url https://download.pytorch.org/whl/cu118
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.7.1' 'torchvision==0.22.1' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cu118\",\"python\":\"3.10\",\"torch\":\"2.7.1\"}}"
ENV TORCH_HOME="/opt/torch"
