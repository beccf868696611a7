from app import settings


def rate():
    return settings.limits()["rate"]
