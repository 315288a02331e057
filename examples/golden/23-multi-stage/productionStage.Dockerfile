FROM python:3.11-slim
RUN apt update && apt install -y --no-install-recommends libgcc-s1
ENV PYTHONPATH="/opt/python-packages"
WORKDIR /app
USER 1000:1000
CMD ["python", "main.py"]
