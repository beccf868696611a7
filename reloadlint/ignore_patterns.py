"""gitignore patterns: ``exclude`` settings and ignore files, matched as git matches them.

A repository writes its own ``.gitignore`` files and ``exclude`` settings,
so matching must cost time linear in the path whatever the pattern: a line
like ``*a*a*a*a*a*a*b``, compiled to a regular expression, backtracks
through every way of placing its stars (a long name took minutes).
:func:`risky` spots the lines that could (two ``*`` runs in one path
segment, or two ``**``); those are matched by :class:`_Wildmatch`, a
matcher without backtracking: between two stars, the leftmost place a fixed
piece fits is always as good as any later one (what git's own wildmatch and
Python's ``fnmatch`` rely on too), so each piece is searched for once.

Most lines of real ignore files are plain (``*.pyc``, ``build/``, ``/dist``,
``*.py[cod]``) and are compiled here, to the very regular expressions
pathspec builds for them; a file (or an exclude list) with any other line
(``**``, ranges, escapes) is compiled by pathspec as a whole. Importing
pathspec costs ~60 ms (it pulls in asyncio), more than a warm run's whole
walk, so it is imported only then.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec, Pattern

__all__ = ["Matcher", "compile_excludes", "compile_lines", "matches"]

_DIR_MARK = "ps_d"  # see _matches_itself


class Matcher(Protocol):
    """Compiled gitignore-style patterns (see :func:`compile_lines`)."""

    #: every excluding pattern ends with ``/``: no file can match
    dirs_only: bool
    #: no pattern has a ``/`` but a trailing one: the verdict depends on the name alone
    names_only: bool

    def last_match(self, path: str) -> bool | None:
        """True (ignored), False (re-included by ``!pattern``) or None (no pattern matched).

        The three-way answer lets a nested ``.gitignore`` without an opinion
        defer to its parents. Only patterns that match ``path`` itself count,
        not ones that match a parent directory: the walk has already pruned
        excluded parents, and the parents it has not pruned are ones the user
        named (``reloadlint build/`` or a directory inside a gitignored tree
        must still be linted, as in ruff and git's own directory walk).
        """
        ...


def compile_lines(lines: list[str], *, lenient: bool) -> Matcher | None:
    """Compile gitignore lines, None when none of them is a pattern.

    ``lenient`` (ignore files): invalid lines are dropped, as git does.
    Otherwise (``exclude``) the caller has validated every line.
    """
    if any(map(risky, lines)):
        return _LinePatterns.compile(lines, lenient=lenient)
    plain = [_plain_pattern(line) for line in lines]
    if all(pattern is not None for pattern in plain):
        patterns = [pattern for pattern in plain if pattern is not None and pattern.regex]
        return _PlainPatterns(patterns) if patterns else None
    return _PathSpecPatterns.compile(lines, lenient=lenient)


def compile_excludes(patterns: list[str], errors: list[str]) -> Matcher | None:
    """Compile user exclude patterns; a bad pattern is an error, never an exception."""
    valid = [pattern for pattern in patterns if _plain_pattern(pattern) is not None]
    if len(valid) < len(patterns):
        valid = []
        for pattern in patterns:
            error = _PathSpecPatterns.error(pattern)
            if error is None:
                valid.append(pattern)
            else:  # (pathspec's position is in its regular expression: left out)
                error = re.sub(r" at position \d+$", "", error)
                errors.append(f"invalid exclude pattern {pattern!r}: {error}")
    return compile_lines(valid, lenient=False) if valid else None


class _Plain(NamedTuple):
    """One plain gitignore line, as pathspec's ``GitIgnoreSpecPattern`` compiles it."""

    regex: str  # without the directory mark group; "" for a blank line or a comment
    include: bool  # False for ``!pattern``
    dir_only: bool  # ``name/``
    anchored: bool  # a ``/`` before the end: matched from the ignore file's directory


#: A glob segment of literal characters, ``*``, ``?`` and simple classes (``[cod]``).
_PLAIN_SEGMENT = re.compile(r"(?:[^\\\[\]*?!/]|\*(?!\*)|\?|\[[A-Za-z0-9_.]+\])+")
_GLOB_TOKEN = re.compile(r"\*|\?|\[[A-Za-z0-9_.]+\]|[^*?\[]+")


def _plain_pattern(line: str) -> _Plain | None:
    """``line`` when it is a plain pattern, else None: pathspec's job.

    Follows pathspec's ``GitIgnoreSpecPattern.pattern_to_regex`` step by step
    for the lines it accepts; ``tests/test_discovery_patterns.py`` checks the
    two agree.
    """
    text = line.rstrip()  # trailing spaces go, as in git (unless escaped: not plain)
    if not text or text.startswith("#") or text == "/":
        return _Plain("", False, False, False)  # a null operation
    include = not text.startswith("!")
    body = text if include else text[1:]
    dir_only = body.endswith("/")
    segments = body.removesuffix("/").split("/")
    anchored = len(segments) > 1
    if anchored and not segments[0]:
        del segments[0]  # "/name": anchored, the slash itself matches nothing
    if not all(_PLAIN_SEGMENT.fullmatch(segment) for segment in segments):
        return None  # empty segments, "**", escapes, ranges...
    if not anchored and segments == ["*"]:
        return None  # "*" and "*/": special-cased by pathspec
    regex = "/".join(map(_segment_regex, segments))
    return _Plain(regex if anchored else f"(?:.+/)?{regex}", include, dir_only, anchored)


def _segment_regex(segment: str) -> str:
    """pathspec's translation of one glob segment (a whole ``*`` segment is never empty)."""
    if segment == "*":
        return "[^/]+"
    out = []
    for token in _GLOB_TOKEN.findall(segment):
        if token == "*":
            out.append("[^/]*")
        elif token == "?":
            out.append("[^/]")
        elif token.startswith("["):
            out.append(token)
        else:
            out.append(re.escape(token))
    return "".join(out)


#: What may follow a pattern that is not directory-only: a directory's ``/``,
#: the final newline ``$`` matches before, or nothing.
_FILE_OR_DIRECTORY_END = "(?:/|\n)?"


class _PlainPatterns:
    """Plain patterns, answering as :func:`_matches_itself` reads pathspec's matches.

    pathspec ``re.match``-es ``^regex`` followed by ``/`` (directory patterns)
    or ``(/|$)`` (the rest); the match counts when that ``/`` is the path's
    last character or absent (``$``: the end, or before a final newline).
    So a pattern matches a path itself exactly when ``regex`` followed by
    ``/`` (directory patterns), or by ``/``, a newline or nothing, matches the
    whole path. The patterns form one alternation, last first: the first
    alternative that matches is the last pattern that does, which decides;
    one call answers, and no path needs the patterns one by one.
    """

    def __init__(self, patterns: list[_Plain]) -> None:
        self.includes = [p.include for p in reversed(patterns)]
        ends = {True: "/", False: _FILE_OR_DIRECTORY_END}
        self.regex = re.compile(
            "|".join(f"({p.regex}{ends[p.dir_only]})" for p in reversed(patterns))
        )
        self.dirs_only = all(p.dir_only for p in patterns if p.include)
        self.names_only = not any(p.anchored for p in patterns)

    def last_match(self, path: str) -> bool | None:
        match = self.regex.fullmatch(path)
        if match is None or match.lastindex is None:
            return None
        return self.includes[match.lastindex - 1]


class _PathSpecPatterns:
    """Any gitignore patterns, compiled by pathspec."""

    def __init__(self, spec: GitIgnoreSpec) -> None:
        self.spec = spec
        sources = [getattr(pattern, "pattern", None) for pattern in spec.patterns]
        including = [getattr(p, "pattern", None) for p in spec.patterns if p.include]
        self.dirs_only = all(
            isinstance(source, str) and source.rstrip().endswith("/") for source in including
        )
        self.names_only = all(
            isinstance(source, str) and "/" not in source.strip().rstrip("/") and "\\" not in source
            for source in sources
        )

    @classmethod
    def compile(cls, lines: list[str], *, lenient: bool) -> _PathSpecPatterns | None:
        """``lenient``: drop invalid lines, as git itself does."""
        from pathspec import GitIgnoreSpec

        try:
            spec = GitIgnoreSpec.from_lines(lines)
        except (ValueError, re.error):  # re.error: a reversed range such as ``[z-a]``
            if not lenient:
                raise
            spec = GitIgnoreSpec.from_lines(line for line in lines if cls.error(line) is None)
        return cls(spec) if any(p.include is not None for p in spec.patterns) else None

    @staticmethod
    def error(line: str) -> str | None:
        """Why pathspec rejects ``line``, or None when it is valid."""
        from pathspec import GitIgnoreSpec

        try:
            GitIgnoreSpec.from_lines([line])
        except (ValueError, re.error) as exc:
            return str(exc)
        return None

    def last_match(self, path: str) -> bool | None:
        check_file = getattr(self.spec, "check_file", None)  # pathspec >= 0.12
        if check_file is not None and check_file(path).include is None:
            return None  # the common case, answered by pathspec's fast backend
        verdict: bool | None = None
        for pattern in self.spec.patterns:
            if pattern.include is not None and _matches_itself(pattern, path):
                verdict = pattern.include
        return verdict


def matches(spec: Matcher | None, path: str) -> bool:
    return spec is not None and spec.last_match(path) is True


def _matches_itself(pattern: Pattern, path: str) -> bool:
    """Whether ``pattern`` matches ``path`` itself rather than only one of its parents.

    pathspec matches a whole path list, so its gitignore regexes also accept
    every descendant of a matching directory, marking where the directory
    ended with the ``ps_d`` group (its name has been stable since 0.10). A
    match whose directory mark is not the final ``/`` of a directory path
    matched a parent. (``gen/**`` has no mark: it matches what is inside
    ``gen`` itself, as in git.)
    """
    result = pattern.match_file(path)
    if result is None:
        return False
    match = getattr(result, "match", None)
    if not isinstance(match, re.Match):
        return True  # an unknown pathspec: trust its answer
    if _DIR_MARK not in match.re.groupindex or match.group(_DIR_MARK) is None:
        return True
    return match.start(_DIR_MARK) == len(path) - 1


# -- lines a regular expression would backtrack on ---------------------------------

_STAR_RUNS = re.compile(r"\*+")
_ESCAPED = re.compile(r"\\.")


def risky(line: str) -> bool:
    """Whether ``line`` compiled to a regular expression could take more than
    linear time: two ``*`` runs in one segment, or two ``**`` segments."""
    body = _ESCAPED.sub("x", line)
    segments = body.split("/")
    if sum(segment == "**" for segment in segments) >= 2:
        return True
    return any(len(_STAR_RUNS.findall(segment)) >= 2 for segment in segments if segment != "**")


class _LinePatterns:
    """A file (or an exclude list) with a :func:`risky` line: every line matched on its
    own, the risky ones by :class:`_Wildmatch`; the last line with an opinion decides."""

    def __init__(self, items: list[Matcher]) -> None:
        self.items = items[::-1]
        self.dirs_only = all(item.dirs_only for item in items)
        self.names_only = all(item.names_only for item in items)

    @classmethod
    def compile(cls, lines: list[str], *, lenient: bool) -> Matcher | None:
        items: list[Matcher] = []
        for line in lines:
            item = _Wildmatch.parse(line) if risky(line) else compile_lines([line], lenient=lenient)
            if item is not None:
                items.append(item)
        return cls(items) if items else None

    def last_match(self, path: str) -> bool | None:
        for item in self.items:
            verdict = item.last_match(path)
            if verdict is not None:
                return verdict
        return None


_GLOBSTAR = None
#: One character of a glob: a literal, ``?`` (None) or a bracket class (a compiled regex).
_Char = str | re.Pattern[str] | None
_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v", "upper": "A-Z", "xdigit": "0-9A-Fa-f",
}  # fmt: skip


class _Segment(NamedTuple):
    """One path segment's glob: fixed-width pieces with a ``*`` between each two."""

    pieces: tuple[tuple[_Char, ...], ...]

    def match(self, name: str) -> bool:
        """Whether ``name`` matches, in time linear in ``len(name)`` per piece: the first
        piece is fixed at the start, the last at the end, each one between them found
        at its leftmost place (a later place never leaves more room for the rest)."""
        pieces = self.pieces
        first, last = pieces[0], pieces[-1]
        if len(pieces) == 1:
            return len(name) == len(first) and _fits(first, name, 0)
        end = len(name) - len(last)
        if end < len(first) or not _fits(first, name, 0) or not _fits(last, name, end):
            return False
        position = len(first)
        for piece in pieces[1:-1]:
            found = _find(piece, name, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True


def _fits(piece: tuple[_Char, ...], text: str, start: int) -> bool:
    for offset, char in enumerate(piece):
        actual = text[start + offset]
        if char is None:
            continue
        if isinstance(char, str):
            if char != actual:
                return False
        elif char.fullmatch(actual) is None:
            return False
    return True


def _find(piece: tuple[_Char, ...], text: str, start: int, end: int) -> int:
    """The leftmost index in ``start..end-len(piece)`` where ``piece`` fits, else -1."""
    if all(isinstance(char, str) for char in piece):
        found = text.find("".join(piece), start, end)  # type: ignore[arg-type]
        return found
    for index in range(start, end - len(piece) + 1):
        if _fits(piece, text, index):
            return index
    return -1


class _Wildmatch:
    """One gitignore line, matched segment by segment without backtracking.

    ``**`` segments stand for any number of path segments (one or more at the
    end: ``gen/**`` is what is inside ``gen``); the fixed runs of segments
    between them are placed leftmost, as the pieces of a segment are.
    """

    def __init__(
        self, include: bool, dir_only: bool, anchored: bool, parts: list[_Segment | None]
    ) -> None:
        self.include = include
        self.dir_only = dir_only
        self.dirs_only = dir_only or not include
        self.names_only = not anchored
        runs: list[list[_Segment]] = [[]]
        for part in parts:
            if part is _GLOBSTAR:
                runs.append([])
            else:
                runs[-1].append(part)
        self.runs = runs
        self.open_end = parts[-1] is _GLOBSTAR  # ``dir/**``: at least one segment more

    @classmethod
    def parse(cls, line: str) -> _Wildmatch | None:
        """The line as git reads it; None for a blank line, a comment or an invalid line."""
        text = _strip_trailing_spaces(line)
        if not text or text.startswith("#"):
            return None
        include = not text.startswith("!")
        body = text if include else text[1:]
        dir_only = body.endswith("/") and not body.endswith("\\/")
        body = body[:-1] if dir_only else body
        anchored = "/" in body
        body = body[1:] if body.startswith("/") else body
        if not body:
            return None
        parts: list[_Segment | None] = [] if anchored else [_GLOBSTAR]
        for segment in body.split("/"):
            if segment == "**":
                if not parts or parts[-1] is not _GLOBSTAR:
                    parts.append(_GLOBSTAR)
                continue
            parsed = _segment(segment)
            if parsed is None:
                return None
            parts.append(parsed)
        return cls(include, dir_only, anchored, parts)

    def last_match(self, path: str) -> bool | None:
        return self.include if self.matches(path) else None

    def matches(self, path: str) -> bool:
        is_dir = path.endswith("/")
        if self.dir_only and not is_dir:
            return False
        names = (path[:-1] if is_dir else path).split("/")
        runs = self.runs
        first, last = runs[0], runs[-1]
        if len(runs) == 1:
            return len(names) == len(first) and _run_fits(first, names, 0)
        # ``dir/**`` holds what is inside ``dir``; like pathspec, ``dir/`` itself too.
        end = len(names) - len(last) - (1 if self.open_end and not is_dir else 0)
        if end < len(first) or not _run_fits(first, names, 0):
            return False
        if not _run_fits(last, names, len(names) - len(last)):
            return False
        position = len(first)
        for run in runs[1:-1]:
            found = next(
                (i for i in range(position, end - len(run) + 1) if _run_fits(run, names, i)), -1
            )
            if found < 0:
                return False
            position = found + len(run)
        return True


def _run_fits(run: list[_Segment], names: list[str], start: int) -> bool:
    return all(segment.match(names[start + i]) for i, segment in enumerate(run))


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go unless escaped (``\\ ``), as in git."""
    text = line.rstrip("\n\r")
    while text.endswith(" ") and not text.endswith("\\ "):
        text = text[:-1]
    return text


def _segment(text: str) -> _Segment | None:
    """One segment's glob as pieces; None when a bracket is not closed."""
    pieces: list[list[_Char]] = [[]]
    index = 0
    while index < len(text):
        char = text[index]
        if char == "*":
            while index < len(text) and text[index] == "*":
                index += 1
            pieces.append([])
            continue
        if char == "?":
            pieces[-1].append(None)
        elif char == "[":
            parsed = _bracket(text, index)
            if parsed is None:
                return None
            regex, index = parsed
            pieces[-1].append(regex)
            continue
        elif char == "\\" and index + 1 < len(text):
            index += 1
            pieces[-1].append(text[index])
        else:
            pieces[-1].append(char)
        index += 1
    return _Segment(tuple(tuple(piece) for piece in pieces))


def _bracket(text: str, start: int) -> tuple[re.Pattern[str], int] | None:
    """A ``[...]`` class at ``start`` as a one-character regex, and the index after it."""
    index = start + 1
    negate = index < len(text) and text[index] in "!^"
    index += negate
    members: list[str] = []
    first = True
    while index < len(text):
        char = text[index]
        if char == "]" and not first:
            body = "".join(members)
            return re.compile(f"[{'^' if negate else ''}{body}]"), index + 1
        first = False
        if char == "[" and text.startswith("[:", index):
            close = text.find(":]", index + 2)
            name = text[index + 2 : close] if close > 0 else ""
            if name in _POSIX_CLASSES:
                members.append(_POSIX_CLASSES[name])
                index = close + 2
                continue
        if char == "\\" and index + 1 < len(text):
            index += 1
            char = text[index]
        if text.startswith("-", index + 1) and index + 2 < len(text) and text[index + 2] != "]":
            high = text[index + 2]
            if high == "\\" and index + 3 < len(text):
                high, index = text[index + 3], index + 1
            if ord(high) < ord(char):
                return None  # a reversed range: git's wildmatch matches nothing with it
            members.append(f"{re.escape(char)}-{re.escape(high)}")
            index += 3
            continue
        members.append(re.escape(char))
        index += 1
    return None
