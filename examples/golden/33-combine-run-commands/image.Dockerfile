FROM python:3.11-slim
RUN apt update && \
    apt install -y python3 && \
    rm -rf /var/lib/apt/lists/*
