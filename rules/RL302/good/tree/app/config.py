import os
from typing import TYPE_CHECKING

# Writes to the environment are not reads.
os.environ["APP_STARTED"] = "1"
os.environ.setdefault("APP_REGION", "eu")
os.environ.update(APP_MODE="web")
del os.environ["APP_STARTED"]
os.environ.pop("APP_TEMP", None)

DEBUG_VARIABLE = "APP_DEBUG"  # naming a variable is not reading it
ENVIRON = os.environ  # the live mapping, read whenever it is used

if TYPE_CHECKING:
    TYPED_DEBUG = os.environ.get("APP_DEBUG")


def debug():
    return os.environ.get(DEBUG_VARIABLE, "0") == "1"


def region():
    return os.getenv("APP_REGION", "eu")


class Defaults:
    def timeout(self):
        return int(os.environ.get("APP_TIMEOUT", "5"))


def connect(url=None):
    return url or os.getenv("APP_DB", "sqlite://")


if __name__ == "__main__":
    print(os.environ["APP_DEBUG"], dict(os.environ))
