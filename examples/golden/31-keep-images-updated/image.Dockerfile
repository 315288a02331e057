FROM python:3.11-slim
RUN apt update && apt upgrade -y
