FROM ubuntu:20.04
