"""Turn one file into a :class:`~reloadlint.summary.model.ModuleSummary`."""

from __future__ import annotations

import ast
import hashlib
import sys
from types import FrameType

from reloadlint import noqa, source
from reloadlint.summary import fingerprint
from reloadlint.summary.facts import reads
from reloadlint.summary.model import MAX_INHERITANCE_DEPTH, SUMMARY_VERSION, ModuleSummary

__all__ = ["SUMMARY_VERSION", "ModuleSummary", "SummaryResult", "summarize_bytes"]

#: Python frames the walk may use on top of its caller's: deeply nested
#: (generated) code beyond this is reported as too complex (RL904) instead.
#: Python 3.11+ runs Python-to-Python calls without growing the C stack; 3.10
#: does not, and 20,000 frames there overflow an 8 MB stack (a segfault, not a
#: RecursionError), so it gets a smaller budget. The budget is relative to the
#: caller's depth, not ``max(limit, ...)``, so a host that raised the limit
#: (or whose parser accepted a 100,000-deep tree, as 3.10's does) cannot turn
#: a deep file into a crash or a quadratic ``ast.dump``.
_RECURSION_BUDGET = 20_000 if sys.version_info >= (3, 11) else 8_000

SummaryResult = tuple[ModuleSummary, "source.SourceError | None"]


def summarize_bytes(
    data: bytes | source.SourceError,
    path: str,
    name: str,
    is_package: bool,
    *,
    fingerprints: bool = False,
) -> SummaryResult:
    """Summarise a file's bytes; a file that cannot be analysed gives an empty summary and an
    error."""
    digest = hashlib.blake2b(data, digest_size=16).hexdigest() if isinstance(data, bytes) else ""
    summary = ModuleSummary(path=path, name=name, is_package=is_package, digest=digest)
    if isinstance(data, source.SourceError):
        return summary, data
    loaded = source.load_bytes(data, path)
    if isinstance(loaded, source.SourceError):
        return summary, loaded
    text, tree = loaded
    summary.noqa, summary.file_noqa = noqa.scan(text.lines)
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(_stack_depth() + _RECURSION_BUDGET)
        # Imported here: a run answered from the cache never needs the summariser.
        from reloadlint.summary.builder import Summarizer

        walker = Summarizer(text.lines, tree, summary)
        try:
            walker.run()
        finally:
            walker.close()
        if fingerprints:
            _fingerprint(tree, summary)
    except RecursionError:
        fresh = ModuleSummary(path=path, name=name, is_package=is_package, digest=digest)
        return fresh, source.SourceError("RL904", "too deeply nested to analyse; not analysed")
    finally:
        sys.setrecursionlimit(limit)
    depth = inheritance_depth(summary)
    if depth > MAX_INHERITANCE_DEPTH:
        fresh = ModuleSummary(path=path, name=name, is_package=is_package, digest=digest)
        message = (
            f"an inheritance chain {depth} classes deep, over the limit of "
            f"{MAX_INHERITANCE_DEPTH}; not analysed"
        )
        return fresh, source.SourceError("RL904", message)
    return summary, None


def add_fingerprints(summary: ModuleSummary, data: bytes) -> None:
    """Fill in the fingerprints (and attribute reads) of a summary made without them from
    ``data``, as ``summarize_bytes(..., fingerprints=True)`` would have made them (the walk
    leaves the tree as it found it): upgrade mode summarises the files the base has byte
    for byte without fingerprints, and adds them to one it did not find in the base
    after all (:func:`reloadlint.upgrade.build`)."""
    loaded = source.load_bytes(data, summary.path)
    if isinstance(loaded, source.SourceError):
        return
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(_stack_depth() + _RECURSION_BUDGET)
        _fingerprint(loaded[1], summary)
    except RecursionError:  # the walk of a tree this deep gave up first (RL904)
        pass
    finally:
        sys.setrecursionlimit(limit)


def definition_names(data: bytes | source.SourceError) -> frozenset[str]:
    """The keys ``def_fingerprints`` has for a file of these bytes (none when it cannot be
    parsed): what :func:`add_fingerprints` would name, without fingerprinting."""
    loaded = source.load_bytes(data, "") if isinstance(data, bytes) else data
    if isinstance(loaded, source.SourceError):
        return frozenset()
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(_stack_depth() + _RECURSION_BUDGET)
        return frozenset(fingerprint.definitions(loaded[1]))
    except RecursionError:
        return frozenset()
    finally:
        sys.setrecursionlimit(limit)


def inheritance_depth(summary: ModuleSummary) -> int:
    """The longest chain of the module's own classes deriving from one another
    (in one pass, in definition order: a base is defined before its subclass)."""
    depth: dict[str, int] = {}
    prefix = f"{summary.name}."
    for cls in summary.classes:
        local = [depth.get(base, 0) for base in cls.bases if base.startswith(prefix)]
        depth[prefix + cls.qualname] = 1 + max(local, default=0)
    return max(depth.values(), default=0)


def _stack_depth() -> int:
    """Frames on the stack now (the recursion limit counts from the bottom)."""
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _fingerprint(tree: ast.Module, summary: ModuleSummary) -> None:
    fingerprint.strip_docstrings(tree)
    memo: dict[int, str] = {}  # each definition's normal form, made once
    summary.fingerprint = fingerprint.digest(tree.body, memo)
    summary.def_fingerprints = fingerprint.definitions(tree, memo)
    reads.collect(summary, tree)
    if summary.loops:
        lines = {loop.qualname: loop.loop_line for loop in summary.loops}
        statements = fingerprint.loop_statements(tree, lines)
        for loop in summary.loops:
            statement = statements.get(loop.qualname)
            loop.fingerprint = fingerprint.digest(statement, memo) if statement else ""
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and _is_main(stmt):
            summary.main_fingerprint = fingerprint.digest(stmt.body)


def _is_main(stmt: ast.If) -> bool:
    from reloadlint.summary.prepass import is_main_guard

    return is_main_guard(stmt.test)


assert SUMMARY_VERSION
