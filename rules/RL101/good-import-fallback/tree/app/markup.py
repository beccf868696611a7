"""The accelerated functions, with a pure-Python fallback."""

try:
    from app_speedups import escape
except ImportError:  # only where the C extension is missing
    from app.pure import escape


def quote(text):
    return f'"{text}"'


# The accelerator replaces the pure-Python `quote` above when it is installed.
try:
    from app_speedups import *  # noqa: F403
except ImportError:
    pass
