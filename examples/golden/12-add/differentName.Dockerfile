FROM python:3.11-slim
ADD config.yaml /app/production-config.yaml
