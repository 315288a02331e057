FROM ubuntu:22.04
RUN apt update && apt install -y python3
RUN useradd -m appuser
USER appuser
RUN whoami
