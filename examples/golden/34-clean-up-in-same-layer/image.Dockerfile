FROM python:3.11-slim
RUN pip install large-package && \
    rm -rf ~/.cache/pip
