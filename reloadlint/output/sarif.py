"""``sarif``: SARIF 2.1.0, the format GitHub code scanning and most security
dashboards ingest.

Choices that matter to consumers:

- ``tool.driver.rules`` lists every rule of ``ctx.rules`` (sorted by code), so
  each alert has its help text; a finding whose code is not in the mapping
  (e.g. an input error) gets a minimal descriptor, so every ``ruleIndex`` is
  valid.
- Each rule's ``helpUri`` is its page on the documentation site
  (:mod:`reloadlint.docsite`).
- URIs are relative to ``%SRCROOT%`` (declared in ``originalUriBaseIds`` as
  the root's ``file://`` URI) so that a report moves with the checkout;
  files outside the root get absolute ``file://`` URIs.
- Columns count code points like ``Diagnostic`` does, which the run declares
  with ``columnKind: unicodeCodePoints``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reloadlint import docsite
from reloadlint.diagnostics import Diagnostic, Edit, Fix
from reloadlint.output.base import (
    OutputContext,
    absolute_path,
    file_uri,
    ordered,
    printable,
    relative_path,
    relative_uri,
    rule_attr,
)
from reloadlint.output.sanitize import escape_json
from reloadlint.rules.base import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
LEVEL = "warning"


def doc_section(doc: str, heading: str) -> str:
    """The body of a ``## heading`` section of a rule doc ('' if absent)."""
    lines = doc.splitlines()
    try:
        start = [line.strip() for line in lines].index(f"## {heading}") + 1
    except ValueError:
        return ""
    body = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        body.append(line)
    return "\n".join(body).strip()


def _descriptor(code: str, rule: type[Rule] | None, fallback_name: str) -> dict[str, Any]:
    name = rule_attr(rule, "name", fallback_name) or fallback_name
    descriptor: dict[str, Any] = {"id": code, "name": name}
    if rule is None:
        return descriptor
    descriptor["helpUri"] = docsite.rule_url(code)
    doc = rule.doc()
    summary = rule_attr(rule, "summary") or name
    descriptor["shortDescription"] = {"text": summary}
    descriptor["fullDescription"] = {"text": doc_section(doc, "What it does") or summary}
    if doc:
        descriptor["help"] = {"text": doc, "markdown": doc}
    configuration: dict[str, Any] = {"level": LEVEL}
    if not getattr(rule, "default_enabled", True):
        configuration["enabled"] = False
    descriptor["defaultConfiguration"] = configuration
    return descriptor


def _descriptors(
    diagnostics: Sequence[Diagnostic], ctx: OutputContext
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    names = dict(sorted((code, rule_attr(rule, "name")) for code, rule in ctx.rules.items()))
    for diagnostic in diagnostics:
        names.setdefault(diagnostic.code, diagnostic.name)
    codes = sorted(names)
    descriptors = [_descriptor(code, ctx.rules.get(code), names[code]) for code in codes]
    return descriptors, {code: index for index, code in enumerate(codes)}


def _artifact_location(path: str, ctx: OutputContext) -> dict[str, str]:
    rel = relative_path(path, ctx.root)
    if rel is None:
        return {"uri": file_uri(absolute_path(path, ctx.root))}
    return {"uri": relative_uri(rel), "uriBaseId": SRCROOT}


def _region(start_row: int, start_column: int, end_row: int, end_column: int) -> dict[str, int]:
    return {
        "startLine": start_row,
        "startColumn": start_column,
        "endLine": end_row,
        "endColumn": end_column,
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    return {
        "deletedRegion": _region(
            edit.location.row,
            edit.location.column,
            edit.end_location.row,
            edit.end_location.column,
        ),
        "insertedContent": {"text": printable(edit.content)},
    }


def _fixes(fix: Fix | None, path: str, ctx: OutputContext) -> list[dict[str, Any]]:
    if fix is None or not fix.edits:
        return []  # SARIF requires at least one replacement per change
    sarif_fix: dict[str, Any] = {}
    if fix.message:
        sarif_fix["description"] = {"text": printable(fix.message)}
    sarif_fix["artifactChanges"] = [
        {
            "artifactLocation": _artifact_location(path, ctx),
            "replacements": [_replacement(edit) for edit in fix.edits],
        }
    ]
    return [sarif_fix]


def _result(diagnostic: Diagnostic, rule_index: int, ctx: OutputContext) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": LEVEL,
        "message": {"text": printable(diagnostic.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_location(diagnostic.path, ctx),
                    "region": _region(
                        diagnostic.location.row,
                        diagnostic.location.column,
                        diagnostic.end_location.row,
                        diagnostic.end_location.column,
                    ),
                }
            }
        ],
    }
    fixes = _fixes(diagnostic.fix, diagnostic.path, ctx)
    if fixes:
        result["fixes"] = fixes
    return result


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    sorted_diagnostics = ordered(diagnostics, ctx.root)
    rules, index = _descriptors(sorted_diagnostics, ctx)
    driver: dict[str, Any] = {"name": "reloadlint"}
    if ctx.tool_version:
        driver["version"] = ctx.tool_version
    driver["rules"] = rules
    root_uri = file_uri(absolute_path(".", ctx.root)).rstrip("/") + "/"
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code], ctx) for d in sorted_diagnostics],
            }
        ],
    }
    return escape_json(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
