FROM python:3.11-slim
RUN useradd -m -u 1000 appuser
RUN mkdir -p /app && chown appuser:appuser /app
USER appuser
WORKDIR /app
