FROM python:3.11-slim
ENV TEST_VAR="test_value"
