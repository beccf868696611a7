import os

from app import client


def database_url():
    if "APP_DB" not in os.environ:
        return "sqlite://"
    return os.environ["APP_DB"]


def snapshot():
    return {"db": database_url(), "driver": client.driver("DB")}
