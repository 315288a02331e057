FROM python:3.11-slim
ADD requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt
ADD src/ /app/src/
