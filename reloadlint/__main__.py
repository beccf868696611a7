"""``python -m reloadlint``."""

import os
import sys

# `python -m` puts the working directory first on sys.path: in a project with
# its own `dataclasses.py`, `ast.py` or `click.py`, importing reloadlint's
# dependencies would run the project's code, which reloadlint must never do.
# (The `reloadlint` console script does not put it there.)
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from reloadlint.cli import main

main()
