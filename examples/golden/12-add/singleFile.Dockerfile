FROM python:3.11-slim
ADD requirements.txt /app/requirements.txt
