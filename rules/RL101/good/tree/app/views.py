from __future__ import annotations

from os.path import join  # standard library: never reloaded
from typing import TYPE_CHECKING

import app.db
from app import db  # a submodule, reached through the module object

if TYPE_CHECKING:
    from app.db import Pool


def handler(pool: Pool | None = None):
    return app.db.connect()


def other():
    return db.connect(), join("a", "b")


def lazy():
    from app.db import connect  # re-imported on every call: sees the new code

    return connect()
