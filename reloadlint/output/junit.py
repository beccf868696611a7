"""``junit``: JUnit XML, which most CI systems (GitLab, Jenkins, Azure) show
as a test report: one testsuite ``reloadlint``, a testcase per file with
findings, a ``failure`` per finding.

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


def _failure(parent: ET.Element, diagnostic: Diagnostic, path: str) -> None:
    location = f"{path}:{diagnostic.location.row}:{diagnostic.location.column}"
    summary = f"{diagnostic.code} {diagnostic.message}"
    failure = ET.SubElement(
        parent, "failure", {"message": xml_text(summary), "type": diagnostic.code}
    )
    failure.text = xml_text(f"{location}: {summary}")


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    sorted_diagnostics = ordered(diagnostics, ctx.root)
    by_file = [
        (path, list(group))
        for path, group in groupby(sorted_diagnostics, key=lambda d: display_path(d.path, ctx.root))
    ]
    # Every testcase (file) listed fails; JUnit counts failed tests, not failures.
    counts = {"tests": str(len(by_file)), "failures": str(len(by_file)), "errors": "0"}
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE_NAME, **counts})
    for path, group in by_file:
        case = ET.SubElement(suite, "testcase", {"name": xml_text(path), "classname": SUITE_NAME})
        for diagnostic in group:
            _failure(case, diagnostic, xml_text(path))
    ET.indent(suites)
    body = _TERMINAL_UNSAFE.sub(_reference, ET.tostring(suites, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
