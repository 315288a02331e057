FROM python:3.11-slim
RUN pip install --no-cache-dir torch==2.10.0 --index-url https://download.pytorch.org/whl/cpu
RUN mkdir -p /etc/pip && printf '%s\n' 'torch==2.10.0' > /etc/pip/torch-constraints.txt
ENV PIP_CONSTRAINT="/etc/pip/torch-constraints.txt"
ENV UV_CONSTRAINT="/etc/pip/torch-constraints.txt"
LABEL dev.chutes.preset.torch="{\"env\":[\"PIP_CONSTRAINT\",\"UV_CONSTRAINT\"],\"paths\":[\"/etc/pip/torch-constraints.txt\"],\"steps\":4,\"notes\":{\"index\":\"cpu\",\"python\":\"3.11\",\"torch\":\"2.10.0\"}}"
COPY requirements-minimal.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY src/main.py /app/main.py
WORKDIR /app
USER 65534:65534
CMD ["python", "main.py"]
