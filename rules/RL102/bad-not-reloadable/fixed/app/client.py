import app.settings


def timeout():
    return app.settings.TIMEOUT


def retries():
    return app.settings.RETRIES
