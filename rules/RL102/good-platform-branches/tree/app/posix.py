"""Settings for POSIX systems."""

LINE_END = "\n"
SHELL = "/bin/sh"
