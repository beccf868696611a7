"""``# noqa`` comments, in flake8's grammar, shared by the CLI and the plugins."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reloadlint.safeio import read_limited
from reloadlint.source import MAX_FILE_BYTES

# flake8's own expression: a bare "noqa", "noqa: RL101", "noqa:RL101,RL102" after a "#".
_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_FILE_NOQA = re.compile(r"#\s*reloadlint\s*:\s*noqa\b(?!\s*:)", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def scan(lines: list[str]) -> tuple[dict[int, frozenset[str] | None], bool]:
    """Map 1-based line -> codes suppressed there (None: all), and the file-wide flag."""
    found: dict[int, frozenset[str] | None] = {}
    file_wide = False
    for number, line in enumerate(lines, start=1):
        if "#" not in line:
            continue
        lowered = line.lower()
        if "noqa" not in lowered:
            continue
        if "reloadlint" in lowered and _FILE_NOQA.search(line):
            file_wide = True
            continue
        match = _NOQA.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        found[number] = frozenset(c.upper() for c in _CODE.findall(codes)) if codes else None
    return found, file_wide


def suppressed(noqa: dict[int, frozenset[str] | None], line: int, code: str) -> bool:
    if line not in noqa:
        return False
    codes = noqa[line]
    return codes is None or code in codes or any(code.startswith(c) for c in codes)


#: A directive: ``noqa`` after a ``#``, and what follows it up to the next comment.
_DIRECTIVE = re.compile(r"#\s*noqa(?P<rest>[^#]*)", re.IGNORECASE)
#: The codes a directive with a colon lists: from the first code, up to the first word that is none.
_CODES = re.compile(r"[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*", re.IGNORECASE)
_CODES_EXAMPLE = "(e.g., `# noqa: RL101, RL102`)"


def invalid_directives(text: str, known: frozenset[str]) -> list[tuple[int, str, str]]:
    """The malformed ``# noqa`` directives of a file, judged as ruff 0.17 judges them
    (checked against it): 1-based line and why. A ``noqa`` glued to a word
    (``# noqaRL101``) lacks its colon; a colon followed by no code (``# noqa:``,
    ``# noqa: XYZ``) lists nothing. What ruff accepts is not warned about: a bare
    ``# noqa`` followed by a space and anything (``# NOQA isort:skip``, ``# noqa RL101``:
    every finding on the line is suppressed), and codes followed by other words
    (``# noqa: RL101 isort:skip``). An ``RL`` code that is no rule (``RL10``, a prefix)
    suppresses by prefix, so it is named; codes of other tools (``F401``) are not judged.
    ``known``: the rule codes.

    Each is (line, what, why), worded as ruff's warning: ``{what} {path}:{line}: {why}``."""
    directive, rule_code = (
        "Invalid `# noqa` directive on",
        "Invalid rule code provided to `# noqa` at",
    )
    found: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "noqa" not in line.lower() or _FILE_NOQA.search(line):
            continue
        for match in _DIRECTIVE.finditer(line):
            rest = match.group("rest")
            after = rest.lstrip()
            if not after.startswith(":"):
                if rest[:1].isalnum():
                    why = (
                        f"expected `:` followed by a comma-separated list of codes "
                        f"{_CODES_EXAMPLE}."
                    )
                    found.append((number, directive, why))
                continue  # a bare directive, and whatever comment follows it
            codes = _CODES.match(after[1:].lstrip())
            if codes is None:
                why = f"expected a comma-separated list of codes {_CODES_EXAMPLE}."
                found.append((number, directive, why))
                continue
            for code in re.split(r"[,\s]+", codes.group()):
                if code.upper().startswith("RL") and code.upper() not in known:
                    found.append((number, rule_code, code))
    return found


def directive_warnings(
    paths: Iterable[str], known: frozenset[str], buffer: bytes | None = None
) -> list[str]:
    """The warnings about the malformed directives of the files reported on (read
    again here: the summaries keep what a directive suppresses, not how it was
    written); ``buffer``: the one file's content when it came from stdin."""
    warnings = []
    for path in paths:
        if buffer is not None:
            data = buffer
        else:
            try:
                data = read_limited(path, MAX_FILE_BYTES)
            except OSError:
                continue
        if b"noqa" not in data.lower():
            continue
        text = data.decode("utf-8", "replace")
        for line, what, why in invalid_directives(text, known):
            warnings.append(f"{what} {path}:{line}: {why}")
    return warnings
