FROM python:3.11-slim
ADD src/ /app/src/
