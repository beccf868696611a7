from app import settings


def rate():
    return settings.LIMITS["rate"]
