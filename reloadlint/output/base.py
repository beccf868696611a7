"""What every output format shares: the context it renders in and the helpers
that keep all formats agreeing on order, paths and text safety.

Formats are pure functions of (diagnostics, context) -> str: they never read
files or the terminal themselves, so the CLI decides about colour and source
access once and every format is testable against a golden file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from reloadlint import docsite

if TYPE_CHECKING:
    from reloadlint.diagnostics import Diagnostic
    from reloadlint.rules.base import Rule


@dataclass(frozen=True)
class OutputContext:
    """Everything a format may need beyond the diagnostics themselves.

    ``root`` is the directory paths are shown relative to (the project root);
    relative ``Diagnostic.path`` values are taken to be relative to it.
    ``source_line(path, row)`` returns the text of a 1-based row of the file
    named by ``Diagnostic.path`` (or None when unavailable); only ``full``
    calls it, which is why it is a callback rather than file contents.
    """

    root: Path
    color: bool
    rules: Mapping[str, type[Rule]]
    source_line: Callable[[str, int], str | None]
    tool_version: str
    show_fixes: bool = False


class Formatter(Protocol):
    """An output format. Each format module satisfies this with a module-level
    ``render`` function, so ``FORMATS`` maps names to the modules themselves."""

    def render(self, diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str: ...


def printable(text: str) -> str:
    """``text`` made encodable as UTF-8.

    Paths decoded with ``surrogateescape`` carry lone surrogates for their
    undecodable bytes; writing those to stdout or a file raises. They are shown
    as the original byte (``\\xff``), other lone surrogates as ``\\udXXX``.
    """
    if text.isascii():
        return text  # the common case, answered without encoding (called per finding)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def one_line(text: str) -> str:
    """``text`` printable and on one line, for the line-oriented formats where
    a newline in a message or path would forge the start of another finding."""
    # Memoised: called per finding for its message and path, which repeat (and
    # most messages are not ASCII, so ``printable`` has to encode them).
    shown = _ONE_LINE.get(text)
    if shown is None:
        if len(_ONE_LINE) > 65536:
            _ONE_LINE.clear()
        shown = _ONE_LINE[text] = printable(text).replace("\r", "\\r").replace("\n", "\\n")
    return shown


_ONE_LINE: dict[str, str] = {}


def _root(root: Path) -> PurePath:
    """``root`` made absolute; only a relative root consults the cwd."""
    return PurePath(os.path.normpath(root if root.is_absolute() else Path.cwd() / root))


def absolute_path(path: str, root: Path) -> PurePath:
    """The absolute form of a diagnostic's path, without touching the disk
    (no ``resolve()``: output must not depend on symlinks)."""
    pure = PurePath(path)
    if not pure.is_absolute():
        pure = _root(root) / pure
    return PurePath(os.path.normpath(pure))


def relative_path(path: str, root: Path) -> PurePath | None:
    """The path relative to ``root``, or None when it lies outside it."""
    try:
        return absolute_path(path, root).relative_to(_root(root))
    except ValueError:
        return None


def display_path(path: str, root: Path) -> str:
    """The path as users see it: relative to ``root`` when possible, ``/``
    separators on every platform, and printable."""
    # Memoised: called per finding (thousands on a large tree), always for the same few paths.
    cwd = "" if root.is_absolute() else os.getcwd()
    key = (path, root, cwd)
    shown = _DISPLAYED.get(key)
    if shown is None:
        if len(_DISPLAYED) > 65536:
            _DISPLAYED.clear()
        shown = _DISPLAYED[key] = printable(_display_text(path, os.path.join(cwd, root)))
    return shown


def _display_text(path: str, root: str) -> str:
    """What ``relative_path`` (else ``absolute_path``) gives, ``as_posix()``, computed
    on strings: building the pure paths cost more than the rest of the output."""
    base = os.path.normpath(root)
    full = os.path.normpath(os.path.join(base, path))
    prefix = os.path.join(base, "")
    if full == base:
        text = os.curdir
    elif os.path.normcase(full).startswith(os.path.normcase(prefix)):
        text = full[len(prefix) :]
    else:
        text = full
    return text.replace(os.sep, "/") if os.sep != "/" else text


_DISPLAYED: dict[tuple[str, Path, str], str] = {}


def _path_bytes(text: str) -> bytes:
    """The bytes of a path for percent-encoding: undecodable bytes come back as
    themselves, so a URI names the real file."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def file_uri(path: PurePath) -> str:
    """A ``file://`` URI for an absolute path (``Path.as_uri`` rejects lone
    surrogates that are not surrogate-escaped bytes)."""
    posix = path.as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # Windows drive paths: file:///C:/...
    return "file://" + quote(_path_bytes(posix), safe="/:")


def relative_uri(path: PurePath) -> str:
    """A relative URI reference for a relative path."""
    return quote(_path_bytes(path.as_posix()), safe="/")


def ordered(diagnostics: Iterable[Diagnostic], root: Path) -> list[Diagnostic]:
    """Diagnostics in output order: path as displayed, row, column, code, then
    end and message so that even ties at one position never depend on the
    order rules ran in."""
    shown: dict[str, str] = {}  # display_path per distinct path, not per finding

    def key(d: Diagnostic) -> tuple[str, int, int, str, int, int, str]:
        path = shown.get(d.path)
        if path is None:
            path = shown[d.path] = display_path(d.path, root)
        location, end = d.location, d.end_location
        return (path, location.row, location.column, d.code, end.row, end.column, d.message)

    return sorted(diagnostics, key=key)


def rule_url(code: str, ctx: OutputContext) -> str | None:
    """The URL of a finding's rule page on the documentation site (None for a
    code that is not a rule: there is no page to point at)."""
    return docsite.rule_url(code) if code in ctx.rules else None


def rule_attr(rule: type[Rule] | None, attr: str, default: str = "") -> str:
    """A rule's metadata string, tolerant of rules that leave it unset."""
    value = getattr(rule, attr, default) if rule is not None else default
    return value if isinstance(value, str) else default
