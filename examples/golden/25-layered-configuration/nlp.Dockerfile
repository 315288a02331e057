FROM nvidia/cuda:11.8-runtime-ubuntu22.04
RUN apt update && apt install -y python3 python3-pip
RUN pip3 install --upgrade pip
ENV PYTHONUNBUFFERED="1"
ENV PYTHONDONTWRITEBYTECODE="1"
RUN pip3 install numpy pandas scikit-learn
RUN pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu118
ENV TORCH_HOME="/opt/torch"
RUN pip3 install transformers tokenizers datasets
RUN pip3 install spacy nltk
ENV TRANSFORMERS_CACHE="/opt/models"
