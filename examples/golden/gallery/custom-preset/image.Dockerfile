FROM python:3.12-slim
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates && \
    rm -rf /var/lib/apt/lists/*
COPY certs/example-corp-root-ca.crt /usr/local/share/ca-certificates/example-corp/example-corp-root-ca.crt
RUN update-ca-certificates
ENV SSL_CERT_FILE="/etc/ssl/certs/ca-certificates.crt"
ENV REQUESTS_CA_BUNDLE="/etc/ssl/certs/ca-certificates.crt"
ENV PIP_CERT="/etc/ssl/certs/ca-certificates.crt"
LABEL org.opencontainers.image.vendor="Example Corp"
LABEL com.example-corp.team="payments"
LABEL dev.chutes.preset.example-corp.base="{\"env\":[\"PIP_CERT\",\"REQUESTS_CA_BUNDLE\",\"SSL_CERT_FILE\"],\"paths\":[\"/usr/local/share/ca-certificates/example-corp\"],\"steps\":8,\"notes\":{\"caBundle\":\"/etc/ssl/certs/ca-certificates.crt\",\"pipConfSecret\":\"pip-conf\"}}"
ENV PIP_CACHE_DIR="/root/.cache/pip"
ENV UV_CACHE_DIR="/root/.cache/uv"
LABEL dev.chutes.preset.pip-cache="{\"env\":[\"PIP_CACHE_DIR\",\"UV_CACHE_DIR\"],\"steps\":2}"
COPY requirements.txt /srv/requirements.txt
RUN --mount=type=secret,target=/etc/pip.conf,id=pip-conf,required=true --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv pip install -r /srv/requirements.txt
COPY worker.py /srv/worker.py
WORKDIR /srv
RUN groupadd --system --gid 10001 svc && useradd --system --uid 10001 --gid svc --no-create-home --shell /usr/sbin/nologin svc
USER 10001:10001
LABEL dev.chutes.preset.example-corp.user="{\"user\":true,\"steps\":2}"
ENTRYPOINT ["python", "/srv/worker.py"]
