import os


def database_url():
    return os.environ.get("APP_DB", "sqlite://")


def snapshot():
    return {"db": database_url()}
