"""Settings read once, when the module is first imported, from the file beside it."""

import json
from pathlib import Path

LIMITS = json.loads(Path(__file__).with_name("limits.json").read_text())
