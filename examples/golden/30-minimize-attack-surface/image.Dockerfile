FROM python:3.11-slim
RUN apt remove --purge -y wget curl
