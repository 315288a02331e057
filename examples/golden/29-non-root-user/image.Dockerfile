FROM python:3.11-slim
RUN useradd -m -u 1000 appuser
USER appuser
