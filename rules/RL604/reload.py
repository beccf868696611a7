"""Do enum values stored by the base version still convert after the deploy?

The running version stores every member of the enum by value, as a database
column or a JSON field does, and pickles each member (a pickle records the
value too). The deploy swaps in the new version and a fresh process (a
restart: reloading would not help either) converts each stored value back
(tests/oldvalues.py). A ValueError, or a value that now converts to another
member than the one that stored it, is what RL604 warns about.
"""

import json
import tempfile
from pathlib import Path

from oldvalues import store
from reloadkit import fresh, upgrade, verdict

blob = store("app.status", "Status")
upgrade()
with tempfile.TemporaryDirectory() as scratch:
    path = Path(scratch) / "stored.json"
    path.write_text(blob, encoding="utf-8")
    out = fresh(
        "import json, oldvalues; "
        f"print(json.dumps(oldvalues.load('app.status', 'Status', open({str(path)!r}).read())))"
    )
problems = json.loads(out.splitlines()[-1])
verdict(bool(problems), "; ".join(problems) or "every stored Status value converts")
