FROM parachutes/base-python:3.11.9
