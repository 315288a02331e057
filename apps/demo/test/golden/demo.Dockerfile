FROM local/debian:bookworm-minbase
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 ca-certificates && \
    rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
ENV APP_HOME="/srv/app"
WORKDIR $APP_HOME
COPY --chown=1000:1000 app/ ./
LABEL org.opencontainers.image.title="hello-inference"
LABEL org.opencontainers.image.authors="Chutes demo <demo@example.com>"
EXPOSE 8000/tcp
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD ["python3", "/srv/app/healthcheck.py"]
USER app
ENTRYPOINT ["python3", "-m", "server"]
CMD ["--port", "8000"]
