FROM python:3.11-slim
ENTRYPOINT ["python", "-u", "-m", "uvicorn", "myapp:app", "--host", "0.0.0.0", "--port", "8000"]
