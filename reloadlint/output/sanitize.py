"""Text from analysed files made safe to print on a terminal.

Source lines (``full``) and messages (which quote names, strings and paths
from the source) are attacker-controlled text: a file can contain an escape
sequence that clears the screen or forges a "clean" line, a bidirectional
override that shows code in a different order than Python reads it, or a
50,000-character minified line. The text formats therefore show such
characters visibly, as rustc's diagnostics renderer does:

- C0 controls and DEL as their Unicode Control Pictures (ESC -> ``␛``,
  BEL -> ``␇``, form feed -> ``␌``, DEL -> ``␡``);
- C1 controls (U+0080-U+009F: U+009B is a one-character CSI on terminals
  that honour 8-bit controls), the bidirectional formatting characters
  (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069) and the line and
  paragraph separators U+2028/U+2029 as U+FFFD, the replacement character.

Each replacement is one character one cell wide, so a column counted in the
original line is the same column in the shown one: carets still point at the
reported characters. Tabs are left to the caller (``full`` expands them).

JSON formats keep the exact text (consumers need the real message) but write
these characters as ``\\uXXXX`` escapes, which parse back to the same string:
see :func:`escape_json`.
"""

from __future__ import annotations

import functools
import re

from reloadlint.output.base import printable

#: U+FFFD: what rustc shows for a bidirectional control.
REPLACEMENT = "\ufffd"

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: Every character a terminal must not receive raw, mapped to what is shown instead.
_TABLE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20)},  # C0 -> Control Pictures
    0x7F: "\u2421",  # DEL -> ␡
    **{code: REPLACEMENT for code in range(0x80, 0xA0)},  # C1
    **{ord(char): REPLACEMENT for char in _BIDI},
    0x2028: REPLACEMENT,
    0x2029: REPLACEMENT,
}

_UNSAFE = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")

#: ``one_line``'s visible newlines, kept for messages: ``a\\nb`` reads better than ``a␊b``.
_MESSAGE_TABLE = {**_TABLE, ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\t"}

#: The same characters where JSON does not escape them itself (it escapes C0).
_JSON_UNSAFE = re.compile("[\x7f-\x9f" + _BIDI + "\u2028\u2029]")


@functools.lru_cache(maxsize=8)
def _table_keeping(keep: str) -> dict[int, str]:
    return {code: shown for code, shown in _TABLE.items() if chr(code) not in keep}


def visible(text: str, *, keep: str = "\t") -> str:
    """``text`` printable (see :func:`~reloadlint.output.base.printable`) with every
    terminal control shown as a one-cell picture, except the characters in
    ``keep`` (tabs by default; ``github`` keeps newlines, which it escapes itself)."""
    text = printable(text)
    if not _UNSAFE.search(text):
        return text
    return text.translate(_table_keeping(keep))


def message(text: str) -> str:
    """A message, path or other one-line field for a text format: on one line
    (newlines shown as ``\\n``, as :func:`~reloadlint.output.base.one_line` does)
    and with every other control visible."""
    # Memoised like one_line: called per finding for its message and path, which repeat.
    shown = _MESSAGES.get(text)
    if shown is None:
        if len(_MESSAGES) > 65536:
            _MESSAGES.clear()
        shown = printable(text)
        if _UNSAFE.search(shown):
            shown = shown.translate(_MESSAGE_TABLE)
        _MESSAGES[text] = shown
    return shown


_MESSAGES: dict[str, str] = {}


def diff_line(line: str) -> str:
    """A line of a unified diff for the terminal: its text with every control
    visible (tabs kept), its line ending kept when it is LF or CRLF; a CR
    alone, which would send the cursor back over the line, shows as ``␍``
    before a newline."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if ending not in ("", "\n", "\r\n"):
        body, ending = body + ending.replace("\n", "").replace("\r", "\u240d"), "\n"
    return visible(body) + ending


def escape_json(document: str) -> str:
    """A JSON document with DEL, C1, bidirectional controls and line separators
    written as ``\\uXXXX`` escapes.

    Lossless: the parsed document is unchanged. Valid anywhere in the
    document, because outside strings JSON has only ASCII punctuation and
    whitespace, so these characters can only occur inside strings.
    """
    if not _JSON_UNSAFE.search(document):
        return document
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
