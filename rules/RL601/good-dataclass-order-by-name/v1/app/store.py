"""The session store of ledger lines: pickles and `asdict` rows, both by field name."""
import dataclasses
import pickle

from app.models import Line


def dump(line):
    return pickle.dumps(line), dataclasses.asdict(line)


def load(blob, row):
    return pickle.loads(blob), Line(**row)
