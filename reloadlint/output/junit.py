"""``junit``: JUnit XML, which most CI systems (GitLab, Jenkins, Azure) show
as a test report. As ruff writes it: a testsuite per file with findings, a
failed testcase per finding (so a CI dashboard counts findings, not files),
named by its code, rule and position, with the file and position as the
``file``, ``line`` and ``column`` attributes CI systems read.

The document is built with ElementTree, which escapes markup in text and
attributes (including newlines in attributes); characters XML 1.0 cannot
carry at all (most C0 controls) are replaced by ``\\xNN`` so the report
stays well-formed whatever a message contains.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, ordered, printable

SUITE_NAME = "reloadlint"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: DEL, C1 controls, bidirectional controls and line separators: legal in XML,
#: but a terminal showing the report (``cat``, a CI log) would obey them. They
#: are written as character references, which parse back to the same text.
_TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group()):x};"


def xml_text(text: str) -> str:
    """``text`` restricted to characters XML 1.0 allows."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", printable(text))


def _case(parent: ET.Element, diagnostic: Diagnostic, path: str) -> None:
    row, column = diagnostic.location.row, diagnostic.location.column
    summary = f"{diagnostic.code} {diagnostic.message}"
    stem, dot, suffix = path.rpartition(".")
    attributes = {
        # unique within the file: some CI systems merge test cases of one name
        "name": xml_text(f"{diagnostic.code} {diagnostic.name} at {row}:{column}"),
        "classname": xml_text(stem if dot and "/" not in suffix else path),
        "file": xml_text(path),
        "line": str(row),
        "column": str(column),
    }
    case = ET.SubElement(parent, "testcase", attributes)
    failure = ET.SubElement(
        case, "failure", {"message": xml_text(summary), "type": diagnostic.code}
    )
    failure.text = xml_text(f"{path}:{row}:{column}: {summary}")


def _counts(tests: int) -> dict[str, str]:
    return {"tests": str(tests), "failures": str(tests), "errors": "0"}


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    sorted_diagnostics = ordered(diagnostics, ctx.root)
    by_file = [
        (path, list(group))
        for path, group in groupby(sorted_diagnostics, key=lambda d: display_path(d.path, ctx.root))
    ]
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **_counts(len(sorted_diagnostics))})
    if not by_file:  # a report with its suite and no test case: nothing failed
        ET.SubElement(suites, "testsuite", {"name": SUITE_NAME, **_counts(0)})
    for path, group in by_file:
        suite = ET.SubElement(
            suites,
            "testsuite",
            {"name": xml_text(path), "package": SUITE_NAME, **_counts(len(group))},
        )
        for diagnostic in group:
            _case(suite, diagnostic, xml_text(path))
    ET.indent(suites)
    body = _TERMINAL_UNSAFE.sub(_reference, ET.tostring(suites, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
