FROM python:3.12-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK="1"
RUN python3 -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt /tmp/requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install -r /tmp/requirements.txt

FROM python:3.12-slim AS python-service
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
ENV PORT="8080"
WORKDIR /app
COPY app/ ./
LABEL org.opencontainers.image.title="python-service"
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD ["/opt/venv/bin/python", "/app/healthcheck.py"]
USER 10001:10001
ENTRYPOINT ["/opt/venv/bin/python", "/app/server.py"]
