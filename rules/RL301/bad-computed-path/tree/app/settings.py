"""Settings read once, when the module is first imported, from a file named elsewhere."""

import json

from app import paths

LIMITS = json.loads(paths.LIMITS_FILE.read_text())
