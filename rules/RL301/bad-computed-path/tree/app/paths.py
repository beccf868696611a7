"""Where the application's files are: one place to change them."""

from pathlib import Path

LIMITS_FILE = Path(__file__).parent / "limits.json"
