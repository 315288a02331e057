FROM python:3.11-slim
RUN apt update && apt install -y --no-install-recommends \
    build-essential git curl \
    && rm -rf /var/lib/apt/lists/*
ADD requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
ADD src/ /app/src/
WORKDIR /app
ENV PYTHONPATH="/app"
USER 1000:1000
EXPOSE 8000/tcp
CMD ["python", "-m", "src.main"]
