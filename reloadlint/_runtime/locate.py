"""Where a module is: found as ``importlib.reload`` finds it, and where it was loaded from."""

from __future__ import annotations

import importlib.machinery
import os
import sys
import types
from importlib.machinery import ModuleSpec

SOURCE_SUFFIXES = tuple(importlib.machinery.SOURCE_SUFFIXES)


def find_spec(name: str) -> ModuleSpec | None:
    """Find ``name`` as ``importlib.reload`` does, but without importing its parents."""
    parent = name.rpartition(".")[0]
    path = None
    if parent in sys.modules:
        path = getattr(sys.modules[parent], "__path__", None)
    if parent and path is None:
        # Not imported, or imported as a plain module that the new source turns
        # into a package (``app/db.py`` -> ``app/db/__init__.py``): ask the disk.
        parent_spec = find_spec(parent)
        path = parent_spec.submodule_search_locations if parent_spec else None
    if parent and path is None:
        return None
    for finder in sys.meta_path:
        spec = finder.find_spec(name, path) if hasattr(finder, "find_spec") else None
        if spec is not None:
            return spec
    return None


def loaded_from(module: types.ModuleType | None) -> str | None:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
    return origin if isinstance(origin, str) and origin.endswith(SOURCE_SUFFIXES) else None


def root(path: str, name: str) -> str:
    """The directory a module's dotted name starts from (``src`` for ``src/app/db.py``).

    A module that became a package (``app/db.py`` -> ``app/db/__init__.py``) keeps
    its root: a reload finds it in the same place and loads it.
    """
    directory = os.path.dirname(path)
    levels = name.count(".") + (1 if os.path.basename(path).startswith("__init__.") else 0)
    for _ in range(levels):
        directory = os.path.dirname(directory)
    return directory


def same_path(a: str, b: str) -> bool | None:
    """Whether two paths name one file (None when that cannot be told)."""
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return None


def module_exists(name: str) -> bool:
    """Whether ``name`` is imported or could be found (without importing anything)."""
    try:
        return name in sys.modules or find_spec(name) is not None
    except Exception:  # a finder of the process failed: the module cannot be vouched for
        return False
