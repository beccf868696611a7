"""Settings read once, when the module is first imported."""

import json
from pathlib import Path

HERE = Path(__file__).parent
LIMITS = json.loads((HERE / "limits.json").read_text())
