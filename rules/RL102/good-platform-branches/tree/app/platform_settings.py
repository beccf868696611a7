"""Each name is bound in branches for different platforms: only the one for the
platform this process runs on binds it, so only that one can hold a stale copy."""

import os
import sys

from app import posix

_names = sys.builtin_module_names
_WINDOWS = sys.platform == "win32"

if os.name == "nt":
    from app.windows import LINE_END  # a copy made only on Windows
else:
    LINE_END = "\n"

if "nt" in _names:
    from app.windows import SHELL
elif "posix" in _names:
    SHELL = "/bin/sh"

if _WINDOWS:
    from app import windows as flavour
else:
    flavour = posix  # an alias of a module: a reload of `app.posix` updates it in place


def shell():
    return SHELL


def line_end():
    return LINE_END


def flavour_shell():
    return flavour.SHELL
