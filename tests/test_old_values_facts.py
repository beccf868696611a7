"""The RL6 facts of a summary (reloadlint/summary/facts/values.py), read from the syntax alone."""

from __future__ import annotations

import textwrap

from reloadlint.summary import summarize_bytes
from reloadlint.summary.model import ModuleSummary


def summary(source: str, *, fingerprints: bool = False) -> ModuleSummary:
    data = textwrap.dedent(source).encode()
    found, error = summarize_bytes(data, "m.py", "m", False, fingerprints=fingerprints)
    assert error is None
    return found


def test_record_fields_keep_order_defaults_and_positions() -> None:
    found = summary(
        """
        from dataclasses import KW_ONLY, dataclass, field

        @dataclass
        class D:
            a: int
            b: list = field(default_factory=list)
            hidden: int = field(init=False, default=0)
            _: KW_ONLY
            c: int = 0
        """
    )
    [record] = found.records
    assert record.kind == "dataclass"
    assert [(f.name, f.default, f.positional) for f in record.fields] == [
        ("a", False, True),
        ("b", True, True),
        ("c", True, False),
    ]


def test_pydantic_options_aliases_and_before_validators() -> None:
    found = summary(
        """
        from typing import Optional
        from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

        class M(BaseModel):
            model_config = ConfigDict(extra="forbid")
            a: int
            b: Optional[int]
            c: str = Field(validation_alias=AliasChoices("c", "old_c"))

            @model_validator(mode="before")
            @classmethod
            def up(cls, data):
                return data
        """
    )
    [record] = found.records
    assert (record.kind, record.options) == ("pydantic", {"extra": "forbid"})
    assert [(f.name, f.default, f.aliases) for f in record.fields] == [
        ("a", False, []),
        ("b", None, []),
        ("c", False, ["c", "old_c"]),
    ]
    assert record.hooks == ["@model_validator(mode='before')"]


def test_tasks_registrations_and_references() -> None:
    found = summary(
        """
        import dramatiq
        from arq import func
        from celery import shared_task
        from rq import Queue
        from app.worker import app

        @app.task(bind=True, name="x.send")
        def send(self, to, *, cc=None, **extra): ...

        @shared_task
        def ping(): ...

        @dramatiq.actor(actor_name="idx")
        def index(doc): ...

        def resize(photo): ...

        Queue().enqueue(resize, 1)

        class WorkerSettings:
            functions = [func(resize, name="resize-job")]
        """
    )
    tasks = [(t.function, t.framework, t.name, t.reference, t.skip_first) for t in found.tasks]
    assert tasks == [
        ("send", "task", "x.send", False, True),
        ("ping", "celery", None, False, False),
        ("index", "dramatiq", "idx", False, False),
        ("m.resize", "arq", "resize-job", True, True),
        ("m.resize", "rq", None, True, False),
    ]
    assert [(p.name, p.kind, p.default) for p in found.signatures["send"]] == [
        ("self", "pos", False),
        ("to", "pos", False),
        ("cc", "kwonly", True),
        ("extra", "**kwargs", True),
    ]


def test_enum_members_and_hooks() -> None:
    found = summary(
        """
        import enum

        class Color(enum.Enum):
            RED = 1
            GREEN = enum.auto()
            BLUE = compute()

            @classmethod
            def _missing_(cls, value):
                return None
        """
    )
    [color] = found.enums
    assert [(m.name, m.value) for m in color.members] == [
        ("RED", "1"),
        ("GREEN", "auto()"),
        ("BLUE", ""),
    ]
    assert color.hooks == ["_missing_"]


def test_a_docstring_only_overload_before_a_looping_function() -> None:
    """Stripping a docstring-only body must leave a located statement (openai 1.51's
    overloads crashed the upgrade-mode fingerprint)."""
    found = summary(
        '''
        def run():
            """Declared first."""

        def run():
            while True:
                step()
        ''',
        fingerprints=True,
    )
    assert [loop.qualname for loop in found.loops] == ["run"]


_SET_MEMBER = """\
import enum

class Scope(enum.Enum):
    READ = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"}
    NONE = set()
    PAIR = ({"x", "y"}, ["b", "a"])
"""

_PRINT_MEMBERS = """\
import sys
from reloadlint.summary import summarize_bytes
found, _ = summarize_bytes(sys.stdin.buffer.read(), "m.py", "m", False)
print([(m.name, m.value) for e in found.enums for m in e.members])
"""


def test_a_set_valued_member_reads_the_same_in_every_process() -> None:
    """A set of strings prints in hash order, which changes with the process's hash
    seed: the member's value is its items sorted, so two summaries of the same
    source (a cached base and a fresh working tree) compare equal for RL604."""
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run(
            [sys.executable, "-c", _PRINT_MEMBERS],
            input=_SET_MEMBER.encode(),
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        outputs.add(done.stdout.decode())
    assert len(outputs) == 1
    members = {m.name: m.value for m in summary(_SET_MEMBER).enums[0].members}
    assert members == {
        "READ": "{'alpha', 'beta', 'delta', 'epsilon', 'gamma', 'zeta'}",
        "NONE": "",  # a call: not read
        "PAIR": "({'x', 'y'}, ['b', 'a'])",
    }
