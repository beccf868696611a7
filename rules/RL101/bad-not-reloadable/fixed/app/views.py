import app.db


def handler():
    return app.db.connect()
