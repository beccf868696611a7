"""reloadlint: find what breaks when Python code is hot-reloaded into a running process."""

__version__ = "0.1.0"
