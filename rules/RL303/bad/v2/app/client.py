import os


def token():
    return os.getenv("APP_TOKEN")
