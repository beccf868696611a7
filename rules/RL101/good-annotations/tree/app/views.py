import app.db
from app.db import Pool  # only used in annotations: type checkers are unaffected


def handler(pool: Pool = None) -> "Pool":
    return app.db.connect()
