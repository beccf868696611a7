"""Turn one file into a :class:`~reloadlint.summary.model.ModuleSummary`."""

from __future__ import annotations

import ast
import hashlib
import sys

from reloadlint import noqa, source
from reloadlint.summary import fingerprint
from reloadlint.summary.builder import Summarizer
from reloadlint.summary.model import SUMMARY_VERSION, ModuleSummary

__all__ = ["SUMMARY_VERSION", "ModuleSummary", "SummaryResult", "summarize_bytes"]

#: Deeply nested (generated) code must not overflow the walk; beyond this the
#: file is reported as too complex instead.
_RECURSION_LIMIT = 20_000

SummaryResult = tuple[ModuleSummary, "source.SourceError | None"]


def summarize_bytes(
    data: bytes | source.SourceError, path: str, name: str, is_package: bool, *, fingerprints: bool = False
) -> SummaryResult:
    """Summarise a file's bytes; a file that cannot be analysed gives an empty summary and an error."""
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
        sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
        Summarizer(text.lines, tree, summary).run()
        if fingerprints:
            _fingerprint(tree, summary)
    except RecursionError:
        fresh = ModuleSummary(path=path, name=name, is_package=is_package, digest=digest)
        return fresh, source.SourceError("RL904", "too deeply nested to analyse; not analysed")
    finally:
        sys.setrecursionlimit(limit)
    return summary, None


def _fingerprint(tree: ast.Module, summary: ModuleSummary) -> None:
    fingerprint.strip_docstrings(tree)
    summary.fingerprint = fingerprint.digest(tree.body)
    summary.def_fingerprints = fingerprint.definitions(tree)
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and _is_main(stmt):
            summary.main_fingerprint = fingerprint.digest(stmt.body)


def _is_main(stmt: ast.If) -> bool:
    from reloadlint.summary.prepass import is_main_guard

    return is_main_guard(stmt.test)


assert SUMMARY_VERSION
