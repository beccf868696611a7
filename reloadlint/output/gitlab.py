"""``gitlab``: a GitLab Code Quality report (a JSON array of issues), shown
in merge requests as new and resolved findings.

GitLab compares reports between the base and the merge request by
``fingerprint``, so the fingerprint hashes what identifies a finding (path,
code, symbol, enclosing definition, message) and *not* its line numbers: an
edit above a finding must not make it look resolved and new again. Identical
findings in one file would collide, so the second and later ones hash their
occurrence index too.

``url`` (not a Code Climate field; GitLab ignores it) is the rule's page on
the documentation site, as in the ``json`` output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, ordered, printable, rule_url
from reloadlint.output.sanitize import escape_json


def _fingerprint(parts: Sequence[str]) -> str:
    payload = json.dumps(list(parts), ensure_ascii=True)  # unambiguous field boundaries
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def fingerprints(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> list[str]:
    """One fingerprint per diagnostic, in order; unique within the report."""
    seen: dict[tuple[str, ...], int] = {}
    result = []
    for diagnostic in diagnostics:
        key = (
            display_path(diagnostic.path, ctx.root),
            diagnostic.code,
            printable(diagnostic.symbol),
            printable(diagnostic.context),
            printable(diagnostic.message),
        )
        index = seen.get(key, 0)
        seen[key] = index + 1
        result.append(_fingerprint(key if index == 0 else (*key, str(index))))
    return result


def _issue(diagnostic: Diagnostic, fingerprint: str, ctx: OutputContext) -> dict[str, Any]:
    return {
        "description": f"{diagnostic.code} {printable(diagnostic.message)}",
        "check_name": diagnostic.code,
        "fingerprint": fingerprint,
        "severity": "major",
        "url": rule_url(diagnostic.code, ctx),
        "location": {
            "path": display_path(diagnostic.path, ctx.root),
            "lines": {
                "begin": diagnostic.location.row,
                "end": diagnostic.end_location.row,
            },
        },
    }


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    sorted_diagnostics = ordered(diagnostics, ctx.root)
    issues = [
        _issue(d, fingerprint, ctx)
        for d, fingerprint in zip(
            sorted_diagnostics, fingerprints(sorted_diagnostics, ctx), strict=True
        )
    ]
    return escape_json(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
