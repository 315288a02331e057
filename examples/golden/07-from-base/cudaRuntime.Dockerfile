FROM nvidia/cuda:12.1-runtime-ubuntu22.04
