"""The ``project`` fixture of test_runtime.py, for every runtime test file."""

from test_runtime import project  # noqa: F401
