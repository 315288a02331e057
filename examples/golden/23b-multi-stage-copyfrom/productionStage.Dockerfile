FROM python:3.11 AS builder
RUN apt update && apt install -y build-essential git
ADD requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt --target /opt/python-packages
ADD src/ /tmp/src/
RUN cd /tmp/src && python setup.py build_ext --inplace

FROM python:3.11-slim AS myapp
RUN apt update && apt install -y --no-install-recommends libgcc-s1
COPY --from=builder /opt/python-packages /opt/python-packages
ENV PYTHONPATH="/opt/python-packages"
WORKDIR /app
USER 1000:1000
CMD ["python", "main.py"]
