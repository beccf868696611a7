"""The CSV export of ledger lines: rows by position, read back with `Line(*row)`."""
import csv
import dataclasses

from app.models import Line


def export(lines, path):
    with open(path, "w", newline="") as out:
        csv.writer(out).writerows(dataclasses.astuple(line) for line in lines)


def load(path):
    with open(path, newline="") as rows:
        return [Line(*row) for row in csv.reader(rows)]
