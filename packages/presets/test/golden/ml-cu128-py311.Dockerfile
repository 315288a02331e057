FROM ghcr.io/astral-sh/uv:0.11.7 AS uv

FROM nvidia/cuda:12.8.2-base-ubuntu24.04 AS ai-base-py311
ENV PIP_CACHE_DIR="/root/.cache/pip"
ENV UV_CACHE_DIR="/root/.cache/uv"
LABEL dev.chutes.preset.pip-cache="{\"env\":[\"PIP_CACHE_DIR\",\"UV_CACHE_DIR\"],\"steps\":2}"
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates && \
    rm -rf /var/lib/apt/lists/*
COPY --from=uv /uv /uvx /usr/local/bin/
ENV UV_PYTHON_INSTALL_DIR="/opt/python"
ENV UV_LINK_MODE="copy"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv uv venv --seed --python 3.11 /opt/venv
ENV VIRTUAL_ENV="/opt/venv"
ENV PATH="/opt/venv/bin:$PATH"
LABEL dev.chutes.preset.uv-python="{\"env\":[\"UV_LINK_MODE\",\"UV_PYTHON_INSTALL_DIR\",\"VIRTUAL_ENV\"],\"paths\":[\"/opt/python\",\"/opt/venv\"],\"steps\":7,\"notes\":{\"python\":\"3.11\"}}"
LABEL dev.chutes.preset.torch-target="{\"steps\":0,\"notes\":{\"index\":\"cu128\",\"python\":\"3.11\",\"torch\":\"2.10.0\"}}"
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install numpy pandas scikit-learn
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install torch==2.10.0 torchvision==0.25.0 --index-url https://download.pytorch.org/whl/cu128
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.10.0' 'torchvision==0.25.0' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cu128\",\"python\":\"3.11\",\"torch\":\"2.10.0\"}}"
ENV TORCH_HOME="/opt/torch"
