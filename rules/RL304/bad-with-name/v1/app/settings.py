import json
from pathlib import Path

# The file beside this module, named by `with_name`: as literal as `parent / "limits.json"`.
LIMITS = json.loads(Path(__file__).with_name("limits.json").read_text(encoding="utf-8"))
