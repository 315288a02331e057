FROM tensorflow/tensorflow:2.13.0-gpu
