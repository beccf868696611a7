"""A plan is input too: ``apply_plan`` reloads only the project's own modules and
answers every malformed document with :class:`PlanRefused`, never a raw exception.

Repros of issue 13: a plan listing ``logging`` (or a third-party package)
reloaded it; a 100,000-deep JSON document raised ``RecursionError``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reloadlint import runtime
from reloadlint.runtime import PlanRefused, apply_plan


def _entry(module: str, path: str, new: str | None) -> dict[str, Any]:
    return {
        "module": module,
        "path": path,
        "action": "reload",
        "why": "changed",
        "base_sha256": None,
        "new_sha256": new,
        "migrate": [],
        "reasons": [],
    }


def _plan(*entries: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "tool": {"name": "reloadlint", "version": "0.1.0"},
        "base": {"rev": "HEAD~1", "commit": "0123456789abcdef0123456789abcdef01234567"},
        "verdict": "hot",
        "groups": [{"cycle": False, "modules": [entry]} for entry in entries],
        "restart_reasons": [],
        "not_done": [],
        **overrides,
    }


def _sha(path: str | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A first-party package ``shop`` on sys.path, forgotten afterwards."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(runtime, "_LOADED_SHA256", {})
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "cart.py").write_text("X = 1\n")
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_a_standard_library_module_is_refused_and_not_reloaded(shop: Path) -> None:
    import logging

    logger_class = logging.Logger  # a reload would define a new class
    plan = _plan(_entry("logging", "logging/__init__.py", _sha(logging.__file__)))
    with pytest.raises(PlanRefused, match=r"logging: .*standard library"):
        apply_plan(plan)
    assert logging.Logger is logger_class


def test_an_installed_third_party_module_is_refused(shop: Path) -> None:
    import click  # installed in site-packages, never the project's own

    origin = click.__file__
    assert origin is not None and Path(origin).is_relative_to(sysconfig.get_paths()["purelib"])
    plan = _plan(_entry("click", "click/__init__.py", _sha(origin)))
    with pytest.raises(PlanRefused, match=r"click: .*installed"):
        apply_plan(plan)


def test_a_project_module_mixed_with_a_foreign_one_reloads_nothing(shop: Path) -> None:
    cart = importlib.import_module("shop.cart")
    (shop / "shop" / "cart.py").write_text("X = 2\n")
    import json as json_module

    plan = _plan(
        _entry("shop.cart", "shop/cart.py", _sha(str(shop / "shop" / "cart.py"))),
        _entry("json", "json/__init__.py", _sha(json_module.__file__)),
    )
    with pytest.raises(PlanRefused, match=r"json: "):
        apply_plan(plan)
    assert cart.X == 1


def test_first_party_names_the_project_packages(shop: Path) -> None:
    """``first_party=`` (for an application installed into site-packages) is an
    allow-list of top-level packages: anything else is refused."""
    cart = importlib.import_module("shop.cart")
    (shop / "shop" / "cart.py").write_text("X = 2\n")
    plan = _plan(_entry("shop.cart", "shop/cart.py", _sha(str(shop / "shop" / "cart.py"))))
    with pytest.raises(PlanRefused, match=r"shop.cart: .*not one of the first-party packages"):
        apply_plan(plan, first_party=["billing"])
    apply_plan(plan, first_party=["shop"])
    assert cart.X == 2


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "document",
    [
        '{"schema_version": 1, "groups": ' + _deep(100_000) + "}",
        '{"a": ' + _deep(100_000) + "}",
        "{" + '"a": {' * 100_000 + "}" * 100_001,
        '{"schema_version": ' + "9" * 100_000 + "}",
        '{"schema_version": 1, "verdict": "hot", "restart_reasons": [], "not_done": [],'
        ' "base": 1, "groups": []}',
        '{"schema_version": 1, "verdict": "hot", "restart_reasons": [], "not_done": [1, null],'
        ' "base": {"rev": []}, "groups": []}',
        '{"schema_version": 1, "verdict": "restart", "restart_reasons": [1, {"code": []}]}',
        '{"schema_version": 1, "verdict": "hot", "restart_reasons": [], "not_done": [],'
        ' "groups": [{"modules": [{"module": "a", "action": "reload", "base_sha256": null,'
        ' "new_sha256": null, "migrate": [{"class": "C", "old_vsn": 1, "new_vsn": 2}]}]}]}',
        '{"schema_version": 1, "verdict": "hot", "restart_reasons": [], "not_done": [],'
        ' "groups": [{"modules": [{"module": "", "action": "reload", "base_sha256": null,'
        ' "new_sha256": null, "migrate": []}]}]}',
        '{"schema_version": 1, "verdict": "hot", "restart_reasons": [], "not_done": [],'
        ' "groups": [{"modules": [{"module": "..x", "action": "reload", "base_sha256": null,'
        ' "new_sha256": 5, "migrate": []}]}]}',
    ],
    ids=[
        "deep-groups",
        "deep-extra",
        "deep-objects",
        "huge-int",
        "base-not-object",
        "odd-not-done",
        "odd-reasons",
        "unknown-module",
        "empty-name",
        "bad-name",
    ],
)
def test_malformed_plans_are_refused(shop: Path, document: str) -> None:
    with pytest.raises(PlanRefused):
        apply_plan(document)


def test_a_deep_plan_given_as_a_dict_is_refused(shop: Path) -> None:
    entry: Any = []
    for _ in range(100_000):
        entry = [entry]
    plan = _plan()
    plan["groups"] = [{"cycle": False, "modules": [entry]}]
    with pytest.raises(PlanRefused):
        apply_plan(plan)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_plan_path_that_is_not_a_regular_file_is_refused(shop: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    with pytest.raises(PlanRefused, match="not a regular file"):
        apply_plan(str(fifo))  # would block forever on open()
    with pytest.raises(PlanRefused, match="not a regular file"):
        apply_plan("/dev/zero")  # would fill memory


def test_an_oversized_plan_file_is_refused(shop: Path, tmp_path: Path) -> None:
    big = tmp_path / "plan.json"
    big.write_text(json.dumps(_plan(not_done=["x" * 1000] * (runtime.MAX_PLAN_BYTES // 1000))))
    with pytest.raises(PlanRefused, match="larger than"):
        apply_plan(str(big))
