import os

DEBUG = os.environ.get("APP_DEBUG", "0") == "1"
REGION = os.getenv("APP_REGION", "eu")
HOME = os.environ["HOME"] if "HOME" in os.environ else "/"
ENV = dict(os.environ)


class Defaults:
    timeout = int(os.environ.get("APP_TIMEOUT", "5"))


def connect(url=os.getenv("APP_DB", "sqlite://")):
    return url
