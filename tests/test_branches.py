"""Which branch of an ``if`` runs here (summary/branches.py), and what the summary
makes of names bound in branches that do not: they resolve to the branch that runs."""

from __future__ import annotations

import ast
import os
import sys

import pytest

from reloadlint.summary import branches, summarize_bytes

WINDOWS = sys.platform == "win32"


def runs(source: str, known: dict[str, object] | None = None) -> bool | None:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.If)
    return branches.runs_here(node, known or {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('if sys.platform == "win32": pass', WINDOWS),
        ('if sys.platform != "win32": pass', not WINDOWS),
        ('if sys.platform.startswith(("win", "cygwin")): pass', sys.platform.startswith("win")),
        ('if sys.platform in ("linux", "darwin"): pass', sys.platform in ("linux", "darwin")),
        ('if os.name == "nt": pass', os.name == "nt"),
        ('if "posix" in sys.builtin_module_names: pass', "posix" in sys.builtin_module_names),
        ('if not os.name == "nt" and DEBUG: pass', None if os.name != "nt" else False),
        ('if os.name == "nt" or DEBUG: pass', True if os.name == "nt" else None),
        # not platform facts: undecided, both branches count
        ("if DEBUG: pass", None),
        ("if 1 == 1: pass", None),
        ("if hasattr(sys, 'frozen'): pass", None),  # a probe that guards no use of it
        # a feature probe guarding its use: its else is the fallback
        ("if hasattr(selectors, 'PollSelector'):\n x = selectors.PollSelector\nelse: pass", True),
        ("if not hasattr(os, 'fork'): pass\nelse:\n os.fork()", False),
    ],
)
def test_which_branch_runs_here(source: str, expected: bool | None) -> None:
    assert runs(source) is expected


def test_module_level_names_bound_to_platform_facts_are_decided() -> None:
    source = b"""
import os, sys
_names = sys.builtin_module_names
_mswindows = (sys.platform == "win32")
if "nt" in _names:
    from app import windows as flavour
else:
    from app import posix as flavour
if _mswindows:
    from app.windows import SHELL
else:
    SHELL = "/bin/sh"
_mswindows = compute()
if _mswindows:
    from app.windows import LATER
"""
    summary = summarize_bytes(source, "app/settings.py", "app.settings", False)[0]
    here = "windows" if "nt" in sys.builtin_module_names else "posix"
    assert summary.binding("flavour").target == f"app.{here}"
    shell = summary.binding("SHELL")
    assert (shell.kind == "import") is WINDOWS
    # the other platform's binding is still listed, marked: nothing resolves to it
    assert [b.elsewhere for b in summary.bindings["SHELL"]] == [not WINDOWS, WINDOWS]
    # rebound to something else: no longer a platform fact, the branch counts
    later = [f for f in summary.imports if f.bound == "LATER"]
    assert later and not later[0].fallback


def test_a_fallback_binding_is_not_the_one_the_module_makes() -> None:
    source = b"""
try:
    from _accel import registry
except ImportError:
    registry = {}
"""
    summary = summarize_bytes(source, "app/once.py", "app.once", False)[0]
    assert summary.binding("registry").kind == "import"
    assert [b.elsewhere for b in summary.bindings["registry"]] == [False, True]
