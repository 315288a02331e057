FROM python:3.11-slim
RUN apt update && apt install -y \
    build-essential \
    git \
    curl \
    wget \
    ffmpeg \
    libsm6 \
    libxext6 \
    libfontconfig1 \
    libxrender1
RUN pip install \
    torch \
    transformers \
    accelerate \
    datasets \
    tokenizers \
    numpy \
    pandas \
    scikit-learn \
    pillow \
    opencv-python
RUN apt autoremove -y && \
    apt clean && \
    rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
