from app import connect


def handler():
    return connect()
