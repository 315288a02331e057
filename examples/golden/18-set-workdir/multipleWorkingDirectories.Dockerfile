FROM python:3.11-slim
WORKDIR /tmp
ADD requirements.txt requirements.txt
RUN pip install -r requirements.txt
WORKDIR /app
ADD src/ .
