import json
from pathlib import Path

HERE = Path(__file__).parent
DEFAULTS = json.loads((HERE / "defaults.json").read_text(encoding="utf-8"))


def limits():
    return json.loads((HERE / "limits.json").read_text(encoding="utf-8"))
