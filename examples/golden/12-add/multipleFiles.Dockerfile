FROM python:3.11-slim
ADD requirements.txt /app/requirements.txt
ADD setup.py /app/setup.py
ADD src/ /app/src/
