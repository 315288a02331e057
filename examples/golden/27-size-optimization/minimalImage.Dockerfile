FROM python:3.11-alpine
RUN apk add --no-cache \
    gcc musl-dev linux-headers \
    && pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu \
    && apk del gcc musl-dev linux-headers
ADD src/main.py /app/main.py
ADD requirements-minimal.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
RUN rm -rf /tmp/* /var/cache/apk/*
WORKDIR /app
USER 65534:65534
CMD ["python", "main.py"]
