"""Do values stored by the base version still load after the deploy?

The running version stores a value of its record class the way applications
store that kind (see tests/oldvalues.py: JSON for pydantic, JSON and pickles
for msgspec and NamedTuple, pickles and rows for dataclasses and attrs, and
``astuple`` rows where the case's application keeps them, JSON objects for
TypedDict). The deploy swaps in the new version and a fresh
process (a restart: reloading would not help either) reads every stored
value back with the real library. An exception, or a field that comes back
holding another field's value, is what RL601 warns about.
"""

import json
import os
import tempfile
from pathlib import Path

from oldvalues import store
from reloadkit import fresh, upgrade, verdict

#: case -> (class, a value of the base version's shape[, the stored forms the application uses])
SAMPLES = {
    "bad-pydantic": ("OrderPlaced", {"order_id": 1, "amount": 9.5}),
    "good-pydantic-default": ("OrderPlaced", {"order_id": 1, "amount": 9.5}),
    "good-pydantic-before-validator": ("OrderPlaced", {"order_id": 1, "amount": 9.5}),
    "bad-pydantic-forbid": ("Profile", {"user_id": 1, "nickname": "ada"}),
    "good-pydantic-alias": ("Profile", {"user_id": 1, "nickname": "ada"}),
    "bad-dataclass": ("Session", {"user_id": 1, "theme": "dark"}),
    "good-dataclass-setstate": ("Session", {"user_id": 1}, ("pickle",)),
    "good-dataclass-default": ("Session", {"user_id": 1}),
    "bad-attrs": ("Invoice", {"number": "A-1", "total": 12}),
    # Rows only: a pickle of a slotted attrs instance made before the new field
    # lacks it even with a default (the rule's page says so under Known problems).
    "good-attrs-default": ("Invoice", {"number": "A-1", "total": 12}, ("row",)),
    "bad-dataclass-order": ("Line", {"currency": "EUR", "amount": 5}, ("tuple",)),
    "good-dataclass-append": ("Line", {"currency": "EUR", "amount": 5}, ("tuple",)),
    # Order changed, but the application keeps lines by name (pickles, `asdict` rows).
    "good-dataclass-order-by-name": ("Line", {"currency": "EUR", "amount": 5}),
    # kw_only: the library takes no position, so no value is built by position.
    "good-dataclass-kwonly-order": ("Line", {"currency": "EUR", "amount": 5}),
    "bad-attrs-order": ("Line", {"currency": "EUR", "amount": 5}, ("tuple",)),
    "bad-namedtuple": ("Point", {"x": 1.0, "y": 2.0}),
    "good-namedtuple-append": ("Point", {"x": 1.0, "y": 2.0}),
    "bad-typeddict": ("Payload", {"user_id": 1}),
    "good-typeddict-notrequired": ("Payload", {"user_id": 1}),
    "bad-msgspec": ("Event", {"kind": "click", "at": 5}),
    "bad-msgspec-pickle": ("Event", {"kind": "click", "at": 5, "debug": True}),
    "good-msgspec-default": ("Event", {"kind": "click", "at": 5}),
}

case = Path(os.environ["RELOADKIT_V2"]).parent.name
name, sample, *forms = SAMPLES[case]
blob = store("app.models", name, sample, *forms)
upgrade()
with tempfile.TemporaryDirectory() as scratch:
    path = Path(scratch) / "stored.json"
    path.write_text(blob, encoding="utf-8")
    out = fresh(
        "import json, oldvalues; "
        f"print(json.dumps(oldvalues.load('app.models', {name!r}, open({str(path)!r}).read())))"
    )
problems = json.loads(out.splitlines()[-1])
verdict(bool(problems), "; ".join(problems) or f"the stored {name} loads with the new version")
