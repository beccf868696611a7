"""The output's per-finding shortcuts give what the slow way they replace gives.

``display_path`` works on strings instead of pure paths, ``one_line`` is
memoised, and ``concise`` builds its lines itself instead of calling
``full.header`` per finding: each is checked against the definition.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path, PurePath

import pytest

from reloadlint.diagnostics import Diagnostic, Position
from reloadlint.output import OutputContext, render
from reloadlint.output.base import display_path, one_line, ordered, printable
from reloadlint.output.full import header

PATHS = [
    "x.py",
    "a/b.py",
    "./a/../c.py",
    "../up.py",
    "/srv/app/x.py",
    "/srv/app",
    "/srv/appx/y.py",
    "/srv/app/./a//b.py",
    "/",
    "/other/z.py",
    "a/./b/",
    "\udcff.py",
    "..",
    ".",
]
ROOTS = [Path("/srv/app"), Path("/"), Path("."), Path("sub"), Path("/srv/app/"), Path("../tmp")]


def slow_display_path(path: str, root: Path) -> str:
    """The definition: relative to the (absolute, normalised) root when inside it."""
    base = PurePath(os.path.normpath(root if root.is_absolute() else Path.cwd() / root))
    pure = PurePath(path)
    full = PurePath(os.path.normpath(pure if pure.is_absolute() else base / pure))
    try:
        shown = full.relative_to(base)
    except ValueError:
        shown = full
    return printable(shown.as_posix())


@pytest.mark.parametrize(("path", "root"), list(itertools.product(PATHS, ROOTS)))
def test_display_path_is_the_relative_path(path: str, root: Path) -> None:
    assert display_path(path, root) == slow_display_path(path, root)


def test_one_line_memo_gives_the_same_text() -> None:
    for text in ["a\nb\r", "é\udcffx", "plain", "é\udcffx"]:
        assert one_line(text) == printable(text).replace("\r", "\\r").replace("\n", "\\n")


def diagnostic(path: str, row: int, code: str, message: str, fixable: bool = False) -> Diagnostic:
    return Diagnostic(
        code=code,
        name="some-rule",
        message=message,
        path=path,
        location=Position(row, 1),
        end_location=Position(row, 4),
        noqa_row=None,
        fixable=fixable,
    )


@pytest.mark.parametrize("color", [False, True])
def test_concise_lines_are_full_headers(color: bool) -> None:
    findings = [
        diagnostic("/srv/app/b.py", 3, "RL101", "`f` is stale — import the module", True),
        diagnostic("/srv/app/a.py", 9, "RL402", "line\nbreak"),
        diagnostic("/srv/app/a.py", 2, "RL101", "`f` is stale — import the module"),
        diagnostic("/elsewhere/\udcff.py", 1, "RL301", "reads `X` at import time"),
    ]
    ctx = OutputContext(
        root=Path("/srv/app"),
        color=color,
        rules={},
        source_line=lambda path, row: None,
        tool_version="0",
    )
    expected = "".join(f"{header(d, ctx)}\n" for d in ordered(findings, ctx.root))
    assert render("concise", findings, ctx) == expected


def test_a_warm_run_imports_only_what_it_uses(tmp_path: Path) -> None:
    """A warm run spends most of its time importing: what only a cold run, another
    format or a ``.gitignore`` with ``**`` needs is imported when needed."""
    (tmp_path / "m.py").write_text("import os\nX = os.environ['A']\n")
    arguments = [".", "--output-format", "concise", "-q", "--exit-zero"]
    cold = [sys.executable, "-m", "reloadlint", *arguments]
    subprocess.run(cold, capture_output=True, check=True, cwd=tmp_path)
    script = (
        "import sys\n"
        "from reloadlint.cli import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['pathspec', 'asyncio', 'multiprocessing', 'concurrent.futures.process',\n"
        "         'libcst', 'reloadlint.summary.builder', 'xml.etree', 'reloadlint.output.sarif']\n"
        "print('IMPORTED', *[name for name in heavy if name in sys.modules])\n"
    )
    warm = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert warm.stdout.splitlines()[-1] == "IMPORTED"
