import json

TIMEOUT = 5


def helper():
    return TIMEOUT
