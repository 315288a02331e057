FROM nvidia/cuda:11.8-runtime-ubuntu22.04
RUN apt update && apt install -y python3 python3-pip
RUN pip3 install --upgrade pip
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
