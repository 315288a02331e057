FROM python:3.11
RUN apt update && apt install -y build-essential git
ADD requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt --target /opt/python-packages
ADD src/ /tmp/src/
RUN cd /tmp/src && python setup.py build_ext --inplace
