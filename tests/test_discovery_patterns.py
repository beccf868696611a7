"""Discovery's own matcher for plain gitignore lines, and the finder shared by a run's walks.

Plain lines (``*.pyc``, ``build/``, ``/dist``, ``*.py[cod]``) are matched
without pathspec, whose import costs more than a warm run's whole walk; they
must give exactly pathspec's answers, read the way discovery reads them (a
pattern counts only for the path itself, never for a parent).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from pathspec import GitIgnoreSpec

from reloadlint import discovery, ignore_patterns

PLAIN_LINES = [
    "build/",
    "*.egg-info/",
    "gen_*.py",
    "*.py[cod]",
    "/dist",
    "/only/here/",
    "docs/_build",
    "a/*/c.py",
    "/*",
    "?.py",
    "!keep.py",
    "!sub/",
    "  lead.py",
    "trail.py   ",
    "x.py.",
    "é.py",
    "# a comment",
    "",
    "/",
]
NOT_PLAIN = ["**/gen", "gen/**", "a/**/b", "\\#hash", "[!a].py", "[a-z].py", "*", "*/", "!", "a//b"]
PATHS = [
    "build",
    "build/",
    "a/build/",
    "a/build",
    "x.egg-info/",
    "pkg/x.egg-info/",
    "gen_a.py",
    "gen_a.pyx",
    "sub/gen_b.py",
    "gen_x/y.py",
    "pkg/gen_x/y.py",
    "gen_a.py/",
    "m.pyc",
    "m.pyd",
    "m.pyx",
    "m/x.pyc",
    "a.b/x.egg-info/",
    "a.b/egg-info/",
    "dist",
    "distx",
    "dist/",
    "a/dist",
    "only/here/",
    "only/here",
    "x/only/here/",
    "docs/_build/",
    "a/docs/_build",
    "a/b/c.py",
    "a/b/d/c.py",
    "a/c.py",
    "top",
    "top/",
    "top/x",
    "k.py",
    "ab.py",
    "keep.py",
    "sub/keep.py",
    "sub/",
    "x/sub/",
    "  lead.py",
    "lead.py",
    "trail.py",
    "x.py.",
    "é.py",
    "d/é.py",
    "dist\n",
    "build/x.py",
]


def pathspec_verdict(lines: list[str], path: str) -> bool | None:
    """The slow way the plain matcher replaces: every pathspec pattern, in order."""
    verdict = None
    for pattern in GitIgnoreSpec.from_lines(lines).patterns:
        if pattern.include is not None and ignore_patterns._matches_itself(pattern, path):
            verdict = pattern.include
    return verdict


@pytest.mark.parametrize("line", PLAIN_LINES)
def test_plain_lines_match_like_pathspec(line: str) -> None:
    assert ignore_patterns._plain_pattern(line) is not None
    matcher = ignore_patterns.compile_lines([line], lenient=False)
    for path in PATHS:
        got = None if matcher is None else matcher.last_match(path)
        assert got == pathspec_verdict([line], path), (line, path)


def test_the_last_matching_line_wins_like_pathspec() -> None:
    for lines in itertools.permutations(["*.py", "!keep.py", "sub/", "!gen_*.py", "/top"], 3):
        matcher = ignore_patterns.compile_lines(list(lines), lenient=False)
        assert isinstance(matcher, ignore_patterns._PlainPatterns)
        for path in PATHS:
            assert matcher.last_match(path) == pathspec_verdict(list(lines), path), (lines, path)


@pytest.mark.parametrize("line", NOT_PLAIN)
def test_other_lines_are_left_to_pathspec(line: str) -> None:
    assert ignore_patterns._plain_pattern(line) is None


def test_one_line_for_pathspec_hands_it_the_whole_file() -> None:
    """Mixed files keep their order: pathspec compiles all of it."""
    matcher = ignore_patterns.compile_lines(["*.py", "!**/keep.py"], lenient=True)
    assert isinstance(matcher, ignore_patterns._PathSpecPatterns)
    assert matcher.last_match("a/x.py") is True
    assert matcher.last_match("a/keep.py") is False


def test_shortcut_flags_of_the_default_excludes() -> None:
    matcher = ignore_patterns.compile_lines(list(discovery.DEFAULT_EXCLUDES), lenient=False)
    assert isinstance(matcher, ignore_patterns._PlainPatterns)
    assert matcher.dirs_only and matcher.names_only
    anchored = ignore_patterns.compile_lines(["*.py", "a/keep/"], lenient=False)
    assert anchored is not None and not anchored.dirs_only and not anchored.names_only


def test_comment_only_ignore_files_cost_nothing() -> None:
    """``git init`` writes an ``info/exclude`` of comments: it must not be matched per file."""
    assert ignore_patterns.compile_lines(["# comment", "", "   "], lenient=True) is None


def test_pathspec_is_imported_only_for_lines_that_need_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.pyc\nbuild/\n/dist\n")
    (tmp_path / "a.py").write_text("")
    script = (
        "import sys; from pathlib import Path; from reloadlint import discovery\n"
        f"r = discovery.discover([Path({str(tmp_path)!r})])\n"
        "before = 'pathspec' in sys.modules\n"
        f"discovery.discover([Path({str(tmp_path)!r})], extend_exclude=['**/gen'])\n"
        "print(len(r.files), before, 'pathspec' in sys.modules)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert output.split() == ["1", "False", "True"]


# -- Finder: one run, several walks --------------------------------------------


def test_finder_lists_each_directory_once_across_calls(tmp_path: Path) -> None:
    for name in ("pkg/__init__.py", "pkg/sub/m.py", "tools/t.py", "top.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    finder = discovery.Finder(root=tmp_path)
    named = finder.discover([tmp_path / "pkg"])
    rest = finder.discover([tmp_path], force_exclude=True)
    assert named.files == [tmp_path / "pkg/__init__.py", tmp_path / "pkg/sub/m.py"]
    # pkg/ was listed by the first call: only what it did not cover comes back.
    assert rest.files == [tmp_path / "tools/t.py", tmp_path / "top.py"]
    everything = discovery.discover([tmp_path], force_exclude=True, root=tmp_path)
    assert sorted(named.files + rest.files) == everything.files


def test_finder_reports_bad_patterns_in_every_result(tmp_path: Path) -> None:
    finder = discovery.Finder(extend_exclude=["!"])
    assert len(finder.discover([tmp_path]).errors) == 1
    assert len(finder.discover([tmp_path]).errors) == 1


# -- lines a regular expression would backtrack on ------------------------------

RISKY_LINES = [
    "*a*b",
    "*.py*",
    "gen_*_*.py",
    "a/*x*y*/c.py",
    "/*_*",
    "!*keep*",
    "d*x*/",
    "**/a/**/c.py",
    "**/*b*",
    "a/**/b/**",
    "**/x*y*/**/z",
    "\\**lit*",
    "[a-c]*_*.py",
    "[!k]*e*",
    "*\\?*",
    "*.py*   ",
    "a*b*\\ ",
]
RISKY_PATHS = [
    *PATHS,
    "ab",
    "xaxb",
    "a/b",
    "a/x/b/y",
    "a/b/",
    "a/x/b/y/",
    "a/b/c.py",
    "a/q/b/r/c.py",
    "q/a/c.py",
    "gen_x_y.py",
    "gen__.py",
    "a/xay/c.py",
    "a/xy/c.py",
    "top_1",
    "top_1/",
    "k_e",
    "ke",
    "ske",
    "x1y",
    "ax?b",
    "axb",
    "*lit",
    "*xlit",
    "a/x/y/z",
    "xy/z",
    "p/xzy/q/z",
    "keeper.py",
    "dd/",
    "dd",
    "a ",
    "b_x.py",
    "d_x.py",
]


@pytest.mark.parametrize("line", RISKY_LINES)
def test_risky_lines_match_like_pathspec_without_regular_expressions(line: str) -> None:
    assert ignore_patterns.risky(line)
    matcher = ignore_patterns.compile_lines([line], lenient=True)
    assert isinstance(matcher, ignore_patterns._LinePatterns)
    assert all(isinstance(item, ignore_patterns._Wildmatch) for item in matcher.items)
    for path in RISKY_PATHS:
        assert matcher.last_match(path) == pathspec_verdict([line], path), (line, path)


def test_a_file_with_one_risky_line_keeps_its_order() -> None:
    lines = ["*.py", "!*keep*", "sub/", "**/gen/**/x.py", "*_*_*"]
    matcher = ignore_patterns.compile_lines(lines, lenient=True)
    assert isinstance(matcher, ignore_patterns._LinePatterns)
    for path in [*RISKY_PATHS, "sub/gen/x.py", "a_b_c", "keep_1_2", "x/keep.py"]:
        assert matcher.last_match(path) == pathspec_verdict(lines, path), path


def test_catastrophic_backtracking_line_answers_at_once() -> None:
    """The repro of issue 13: ``*a*a*a*a*a*a*b`` against a long name. As a regular
    expression it tries every placement of its six stars (40 characters took
    0.3 s, 255 would take hours); the leftmost placement answers in one pass."""
    matcher = ignore_patterns.compile_lines(["*a*a*a*a*a*a*b"], lenient=True)
    assert matcher is not None
    assert matcher.last_match("a" * 255) is None
    assert matcher.last_match("a" * 254 + "b") is True
    assert matcher.last_match("x/" + "ab" * 100) is True
    assert matcher.last_match("aaaaab") is None  # five a's: one short


def test_posix_character_classes_are_gits() -> None:
    """pathspec reads ``[[:digit:]]`` as ``[[:digit:]`` then ``]``; git as a digit."""
    matcher = ignore_patterns.compile_lines(["*[[:digit:]]*_*"], lenient=True)
    assert matcher is not None
    assert matcher.last_match("top1_x") is True
    assert matcher.last_match("top_x") is None
