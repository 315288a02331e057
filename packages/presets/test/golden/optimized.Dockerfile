FROM python:3.11-slim
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential git curl && \
    rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY src/ /app/src/
ENV PYTHONPATH="/app"
RUN (getent group 1000 >/dev/null || groupadd -g 1000 appuser) && \
    (getent passwd 1000 >/dev/null || useradd -m -u 1000 -g 1000 -s /bin/bash appuser) && \
    mkdir -p /app && \
    chown -R 1000:1000 /app
USER 1000:1000
WORKDIR /app
LABEL dev.chutes.preset.non-root-user="{\"paths\":[\"/app\"],\"user\":true,\"steps\":3}"
EXPOSE 8000/tcp
CMD ["python", "-m", "src.main"]
