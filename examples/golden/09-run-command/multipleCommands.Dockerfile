FROM python:3.11-slim
RUN apt update && \
    apt install -y git curl && \
    pip install --upgrade pip && \
    pip install numpy pandas scikit-learn
