"""``reloadlint run --module pkg.mod:func``: import ``pkg.mod`` and call ``func()``.

Run as ``python -m reloadlint.devloop.call pkg.mod:func [ARGS...]`` under the
bootstrap; ``sys.argv`` is ``[pkg.mod:func, ARGS...]`` for the function, and its
return value is the exit status, as for a console script.
"""

from __future__ import annotations

import importlib
import sys


def main() -> None:
    if len(sys.argv) < 2 or ":" not in sys.argv[1]:
        sys.stderr.write("reloadlint run: --module needs pkg.mod:function\n")
        raise SystemExit(2)
    module_name, _, qualname = sys.argv[1].partition(":")
    sys.argv = sys.argv[1:]
    target: object = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not callable(target):
        sys.stderr.write(f"reloadlint run: {sys.argv[0]} is not callable\n")
        raise SystemExit(2)
    raise SystemExit(target())


if __name__ == "__main__":
    main()
