from app.settings import RETRIES, TIMEOUT


def timeout():
    return TIMEOUT


def retries():
    return RETRIES
