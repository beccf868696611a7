from app.db import connect


def handler():
    return connect()
