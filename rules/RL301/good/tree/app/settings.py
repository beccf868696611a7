"""Settings read when they are needed, so a changed file is seen at once."""

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).parent
LIMITS_FILE = HERE / "limits.json"  # a path is not a read
DEFAULT_RATE = 10

if TYPE_CHECKING:
    TYPED = json.load(open("typing-only.json"))

# Opened for writing and appending: not configuration reads.
AUDIT = open(os.devnull, "w")
TRAIL = open(os.devnull, mode="a")


def limits():
    return json.loads(LIMITS_FILE.read_text())


class Loader:
    def load(self, name):
        with open(HERE / name) as handle:
            return json.load(handle)


def check(read=lambda: open(LIMITS_FILE).read()):
    return read()


if __name__ == "__main__":
    print(open(LIMITS_FILE).read())
