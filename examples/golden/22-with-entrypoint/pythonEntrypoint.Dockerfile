FROM python:3.11-slim
ENTRYPOINT ["python", "-m", "myapp"]
