from app import config


def debug():
    return config.DEBUG
