"""``python -m reloadlint``."""

from reloadlint.cli import main

main()
