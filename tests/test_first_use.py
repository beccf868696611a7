"""Globals set up on first use across functions (summary/first_use.py): what is a memo,
and what stays state because it records what callers gave."""

from __future__ import annotations

import ast

from reloadlint.summary.first_use import module_memos

CACHE_AND_REGISTRY = """
cache = {}
_browsers = {}
_tryorder = None


def getlines(name):
    if name in cache:
        return cache[name]
    return updatecache(name)


def updatecache(name):
    lines = name.split()
    cache[name] = lines
    return lines


def register(name, klass, instance=None):
    if name not in _browsers:
        _init()
    _browsers[name] = [klass, instance]  # what the caller gave, in a list: state


def get(name):
    if name in _browsers:
        return _browsers[name]
    register(name, object)


def _init():
    global _tryorder
    _tryorder = []
"""


def test_a_cache_filled_on_a_miss_is_a_memo_and_a_registry_is_not() -> None:
    found = module_memos(ast.parse(CACHE_AND_REGISTRY), {"cache", "_browsers", "_tryorder"})
    assert ("cache", "") in found
    assert ("_browsers", "") not in found


HELPERS = """
_re = None
_flag = True
_count = 0


def _init_regex():
    global _re
    _re = compile_it()


def split(text):
    if _re is None:
        _init_regex()
    return _re.split(text)


def probe():
    global _flag
    if _flag:
        try:
            return fast()
        except OSError:
            _flag = False
    return slow()


def bump():
    global _count
    _count = 5


def peek():
    return _count
"""


def test_init_helpers_and_probes_are_memos_and_a_flag_others_read_is_not() -> None:
    found = module_memos(ast.parse(HELPERS), {"_re", "_flag", "_count"})
    assert found == {("_re", "_init_regex"), ("_flag", "")}
