FROM nvidia/cuda:12.6.3-base-ubuntu24.04
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
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu126
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.7.1' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cu126\",\"python\":\"3.12\",\"torch\":\"2.7.1\"}}"
COPY requirements.txt /app/requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install -r /app/requirements.txt
ENV HF_HOME="/opt/huggingface"
RUN mkdir -p /opt/huggingface && chown -R 1000:1000 /opt/huggingface
LABEL dev.chutes.preset.hf-cache="{\"env\":[\"HF_HOME\"],\"paths\":[\"/opt/huggingface\"],\"steps\":2}"
COPY serve.py /app/serve.py
WORKDIR /app
RUN (getent group 1000 >/dev/null || groupadd -g 1000 appuser) && \
    (getent passwd 1000 >/dev/null || useradd -m -u 1000 -g 1000 -s /bin/bash appuser)
USER 1000:1000
LABEL dev.chutes.preset.non-root-user="{\"user\":true,\"steps\":2}"
ENV MODEL_ID="distilbert/distilbert-base-uncased-finetuned-sst-2-english"
ENV PORT="8000"
EXPOSE 8000/tcp
HEALTHCHECK --interval=30s --timeout=5s --start-period=5m --retries=3 CMD ["python", "/app/serve.py", "--check"]
ENTRYPOINT ["python", "/app/serve.py"]
