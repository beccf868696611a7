"""Settings for Windows."""

LINE_END = "\r\n"
SHELL = "cmd.exe"
