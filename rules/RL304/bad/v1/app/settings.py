import json
from pathlib import Path

LIMITS = json.loads((Path(__file__).parent / "limits.json").read_text(encoding="utf-8"))
