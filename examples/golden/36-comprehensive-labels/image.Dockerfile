FROM python:3.11-slim
LABEL version="1.0.0"
LABEL description="AI text processing service"
LABEL maintainer="team@company.com"
