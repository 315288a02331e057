FROM parachutes/python:3.12
