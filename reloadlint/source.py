"""Reading and parsing one file without ever crashing the run.

A file that cannot be read, decoded or parsed becomes a :class:`SourceError`
(reported as an RL9xx diagnostic) so that one bad file never stops the rest.
Nothing here executes the code: ``ast.parse`` only builds a tree.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from dataclasses import dataclass
from pathlib import Path

from reloadlint.safeio import FileTooLarge, NotRegularFile, describe, read_limited

#: Files larger than this are not analysed (a generated 50 MB table is not code
#: anyone hot-reloads). Measured: a tree costs up to ~400 bytes of memory per
#: byte of source and ~5-15 s per MB, so 20 MB of small functions took 4
#: minutes and 5 GB; at 5 MB the worst case stays near 2 GB and a minute, and
#: generated API clients of 4-5 MB (the largest real modules met) still pass.
MAX_FILE_BYTES = 5 * 1024 * 1024

#: Parser messages that mean "nested too deeply", not "invalid": RL904, not RL901.
_TOO_DEEP = ("too many nested parentheses", "too many levels of indentation", "too complex")


@dataclass(frozen=True, slots=True)
class SourceError:
    """Why a file could not be analysed: an RL9xx code, a message, a position."""

    code: str
    message: str
    line: int = 1
    column: int = 1


@dataclass(slots=True)
class Source:
    text: str
    lines: list[str]


def read_bytes(path: Path) -> bytes | SourceError:
    """The file's bytes: a regular file of at most :data:`MAX_FILE_BYTES` (a FIFO or a
    device, e.g. a link to ``/dev/zero``, is RL903 without blocking or reading it)."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        megabytes, limit = error.size / 2**20, MAX_FILE_BYTES // 2**20
        message = f"file is {megabytes:.1f} MB, over the {limit} MB limit; not analysed"
        return SourceError("RL903", message)
    except NotRegularFile as error:
        return SourceError("RL903", f"{describe(error)}; not analysed")
    except FileNotFoundError:
        return SourceError("RL903", "file disappeared before it could be read")
    except IsADirectoryError:
        return SourceError("RL903", "is a directory, not a file")
    except PermissionError:
        return SourceError("RL903", "permission denied")
    except OSError as error:
        return SourceError("RL903", f"cannot be read: {error.strerror or error}")


def decode(data: bytes) -> Source | SourceError:
    """Decode as Python does: BOM, then a PEP 263 coding cookie, else UTF-8."""
    if b"\x00" in data:
        return SourceError("RL903", "contains NUL bytes (a binary file?); not analysed")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        return SourceError("RL902", f"cannot be decoded: {error.msg}", error.lineno or 1)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        line = 1
        if isinstance(error, UnicodeDecodeError):
            line = data.count(b"\n", 0, error.start) + 1
        return SourceError(
            "RL902",
            f"cannot be decoded as {encoding}: "
            f"{error.reason if isinstance(error, UnicodeDecodeError) else error}",
            line,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return Source(text, split_lines(text))


def split_lines(text: str) -> list[str]:
    """Lines as Python numbers them: only CR, LF and CRLF end a line.

    (``str.splitlines`` also splits on form feeds and other separators, which
    would shift every line number after them.)"""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse(source: Source, filename: str) -> ast.Module | SourceError:
    """``ast.parse`` with every failure turned into a :class:`SourceError`."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like are the user's business.
            warnings.simplefilter("ignore")
            return ast.parse(source.text, filename=filename, type_comments=False)
    except SyntaxError as error:
        line = error.lineno or 1
        column = max(error.offset or 1, 1)
        if any(phrase in str(error.msg) for phrase in _TOO_DEEP):
            message = f"too deeply nested to parse ({error.msg}); not analysed"
            return SourceError("RL904", message, line, column)
        return SourceError("RL901", f"syntax error: {error.msg}", line, column)
    except (RecursionError, MemoryError):
        return SourceError("RL904", "too deeply nested to parse; not analysed")
    except ValueError as error:
        return SourceError("RL901", f"syntax error: {error}")


def load(path: Path) -> tuple[Source, ast.Module] | SourceError:
    """Read, decode and parse ``path``."""
    data = read_bytes(path)
    if isinstance(data, SourceError):
        return data
    return load_bytes(data, str(path))


def load_bytes(data: bytes, filename: str) -> tuple[Source, ast.Module] | SourceError:
    source = decode(data)
    if isinstance(source, SourceError):
        return source
    tree = parse(source, filename)
    if isinstance(tree, SourceError):
        return tree
    return source, tree
