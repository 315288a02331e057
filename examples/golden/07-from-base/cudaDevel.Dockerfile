FROM nvidia/cuda:11.8-devel-ubuntu22.04
