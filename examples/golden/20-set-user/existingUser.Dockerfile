FROM ubuntu:22.04
USER nobody
