import os

from app import client


def database_url():
    return os.environ.get("APP_DB", "sqlite://")


def timeout():
    return float(os.environ.get("APP_TIMEOUT", "5"))


def snapshot():
    return {"db": database_url(), "timeout": timeout(), "token": client.token()}
