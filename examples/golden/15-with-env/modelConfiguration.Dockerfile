FROM python:3.11-slim
ENV TRANSFORMERS_CACHE="/opt/models"
ENV HF_HOME="/opt/huggingface"
ENV TORCH_HOME="/opt/torch"
