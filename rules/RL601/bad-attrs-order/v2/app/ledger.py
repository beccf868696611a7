"""Ledger lines kept as SQL rows, read back with `Line(*row)`."""
from app import models


def load(cursor):
    return [models.Line(*row) for row in cursor.execute("SELECT * FROM lines")]
