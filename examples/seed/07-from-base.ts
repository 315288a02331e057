// Seed: `.from_base` examples.
import { Image } from "@chutes/image-core";

// Python base images
export const pythonSlim = new Image("myuser", "myapp").fromBase("python:3.11-slim");
export const pythonBullseye = new Image("myuser", "myapp").fromBase("python:3.11-bullseye");

// Ubuntu base images
export const ubuntu2204 = new Image("myuser", "myapp").fromBase("ubuntu:22.04");
export const ubuntu2004 = new Image("myuser", "myapp").fromBase("ubuntu:20.04");

// NVIDIA CUDA base images
export const cudaDevel = new Image("myuser", "myapp").fromBase("nvidia/cuda:11.8-devel-ubuntu22.04");
export const cudaRuntime = new Image("myuser", "myapp").fromBase("nvidia/cuda:12.1-runtime-ubuntu22.04");

// Specialized base images
export const tensorflowGpu = new Image("myuser", "myapp").fromBase("tensorflow/tensorflow:2.13.0-gpu");
export const pytorchRuntime = new Image("myuser", "myapp").fromBase("pytorch/pytorch:2.0.1-cuda11.7-cudnn8-runtime");

// Chutes base images
export const chutesBasePython = new Image("myuser", "myapp").fromBase("parachutes/base-python:3.11.9");
