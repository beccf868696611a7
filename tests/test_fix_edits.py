"""Fix edits for JSON and SARIF: one parse per file, the same fixes as
computing each finding's fix on its own.

:func:`reloadlint.fixes.fixed_source` (one finding: the whole fixed file,
checked) is the reference; each edit set :func:`reloadlint.fixes.batch.fixes_for_file`
gives must turn the file into exactly that text, while the file is parsed
once and the one-by-one path is taken only for what the batch cannot vouch for.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus import Case, cases
from helpers import write_tree as write

from reloadlint.config import Settings
from reloadlint.diagnostics import Diagnostic, Fix
from reloadlint.engine import RunResult, lint
from reloadlint.fixes import (
    attach,
    batch,
    fix_for,
    fix_spec,
    fixed_source,
    parallel,
    stale_import,
    stale_plan,
)
from reloadlint.fixes.attach import attach_fixes
from reloadlint.fixes.batch import fixes_for_file
from reloadlint.request import LintRequest
from reloadlint.rules.registry import all_rules
from reloadlint.selection import enabled_codes

FIXABLE_CODES = tuple(rule.code for rule in all_rules() if rule.fixer)


def lint_tree(root: Path) -> RunResult:
    settings = Settings(root=root, select=FIXABLE_CODES)
    codes = enabled_codes(settings.select, (), (), upgrade=False)
    return lint(LintRequest(paths=[root], settings=settings, codes=codes, use_cache=False))


def fixable_by_file(result: RunResult) -> dict[str, list[Diagnostic]]:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        if diagnostic.fixable and fix_spec(diagnostic.code) is not None:
            by_file[diagnostic.path].append(diagnostic)
    return dict(by_file)


@pytest.fixture
def fallbacks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Diagnostic]]:
    """The findings the batch hands to the one-by-one computation."""
    seen: list[Diagnostic] = []

    def counting(source: str, diagnostic: Diagnostic, **context: object) -> object:
        if fix_spec(diagnostic.code).fixer == "stale-import":  # type: ignore[union-attr]
            seen.append(diagnostic)  # (the guard fix always takes that path)
        return fix_for(source, diagnostic, **context)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "fix_for", counting)
    yield seen


def applied(source: str, fix: Fix) -> str:
    """``source`` with the whole-line edits of ``fix`` applied (as an editor applies them)."""
    lines = source.splitlines(keepends=True)
    for edit in sorted(fix.edits, key=lambda e: e.location, reverse=True):
        assert edit.location.column == edit.end_location.column == 1
        start, end = edit.location.row - 1, edit.end_location.row - 1
        lines[start:end] = [edit.content]
    return "".join(lines)


def assert_same_as_one_by_one(result: RunResult) -> int:
    """Every fixable finding's batch fix gives its one-by-one fixed file; returns how
    many have one."""
    with_fix = 0
    for path, diagnostics in fixable_by_file(result).items():
        source = Path(path).read_bytes().decode("utf-8")  # newlines as they are (CRLF too)
        summary = result.summaries[path]
        context = {"is_package": summary.is_package, "module": summary.name}
        fixes = fixes_for_file(source, diagnostics, **context)  # type: ignore[arg-type]
        for diagnostic, fix in zip(diagnostics, fixes, strict=True):
            expected = fixed_source(source, diagnostic, **context)  # type: ignore[arg-type]
            if fix is None:
                assert expected is None, (path, diagnostic)
            else:
                assert applied(source, fix) == expected, (path, diagnostic)
                with_fix += 1
    return with_fix


# ---------------------------------------------------------------- the corpus

FIX_CASES = [case for case in cases() if case.code in FIXABLE_CODES and not case.upgrade]


@pytest.mark.parametrize("case", FIX_CASES, ids=[case.id for case in FIX_CASES])
def test_corpus_fixes_equal_the_one_by_one_fixes(
    case: Case, tmp_path: Path, fallbacks: list[Diagnostic]
) -> None:
    shutil.copytree(case.tree, tmp_path / "tree")
    result = lint_tree(tmp_path / "tree")
    assert_same_as_one_by_one(result)
    assert fallbacks == []


def test_the_corpus_has_a_file_with_several_fixes() -> None:
    """The test above is only meaningful if some file has several fixes at once."""
    case = next(case for case in FIX_CASES if case.id == "RL401/bad")
    by_file = fixable_by_file(lint_tree(case.tree))
    assert max(len(diagnostics) for diagnostics in by_file.values()) >= 4


# ---------------------------------------------------------------- harder files

DB = """\
def connect():
    return 1


def close():
    return 2


def helper():
    return 3


class Pool:
    pass


TIMEOUT = 3
"""

VIEWS = '''\
"""Views: many uses, in many shapes, of names imported by value."""
import os
from app.db import connect, close
from app.db import Pool as P; from app.db import TIMEOUT

# the fallback helper
try:
    from app.db import helper
except ImportError:
    helper = None

STATE = {}
SEEN: set = set()
ORDER = []


def handler():
    STATE["名前\t"] = connect() + (close)()  # wide characters and a tab before the uses
    return P(), os.sep


def remember(key):
    SEEN.add(key)
    ORDER.append(key)


class View:
    from app.db import connect as fresh

    def get(self):
        return connect() + TIMEOUT + self.fresh()


def later():
    text = f"{connect!r} {helper()}"
    return close, text
'''


#: views.py variants -> how many fixes each has (all its fixable findings but
#: ``helper``'s: ``helper = None`` binds it again, so its uses may mean either)
VARIANTS = {
    "plain": (VIEWS, 7),
    "byte order mark": ("\ufeff" + VIEWS, 7),
    "no final newline": (VIEWS.rstrip("\n"), 7),
    "crlf": (VIEWS.replace("\n", "\r\n"), 7),
    "uses on the import line": (
        # (a lambda: a call at import time is not fixed, see test_fix_safety.py)
        "from app.db import connect; g = lambda: connect()\n\n\ndef f():\n    return connect()\n",
        1,
    ),
    "import first, uses last": (
        "from app.db import close\n" + "X = 1\n" * 50 + "def g():\n    close()\n",
        1,
    ),
    "byte order mark, import on line 1": (
        "\ufefffrom app.db import connect\n\n\ndef f():\n    return connect()\n",
        1,
    ),
}


@pytest.mark.parametrize(("views", "fixed"), VARIANTS.values(), ids=VARIANTS.keys())
def test_many_fixes_in_one_file_equal_the_one_by_one_fixes(
    views: str, fixed: int, tmp_path: Path, fallbacks: list[Diagnostic]
) -> None:
    root = tmp_path / "tree"
    write(root, {"app/__init__.py": "", "app/db.py": DB})
    (root / "app" / "views.py").write_bytes(views.encode("utf-8"))
    result = lint_tree(root)
    assert assert_same_as_one_by_one(result) == fixed
    fixable = sum(len(d) for d in fixable_by_file(result).values())
    # The one-by-one path is the exception (parenthesised uses, a last
    # statement without its newline), not the rule.
    assert fallbacks == [], [(d.location, d.symbol) for d in fallbacks]
    assert fixable


def test_nothing_but_the_fix_changes(tmp_path: Path) -> None:
    """A line libcst would print differently (``except (A, B) :``) is not touched:
    only the import and the uses are edited, as text."""
    root = tmp_path / "tree"
    quirk = "\n\ntry:\n    pass\nexcept (ValueError, TypeError) :\n    pass\n"
    write(root, {"app/__init__.py": "", "app/db.py": DB, "app/views.py": VIEWS + quirk})
    result = lint_tree(root)
    assert assert_same_as_one_by_one(result) == 7
    for fixes in fixable_by_file(result).values():
        for diagnostic in fixes:
            source = Path(diagnostic.path).read_text(encoding="utf-8")
            fix = fix_for(source, diagnostic, is_package=False)
            assert fix is None or all("TypeError" not in edit.content for edit in fix.edits)


# ---------------------------------------------------------------- attach_fixes


def test_attach_fixes_parses_each_file_with_fixable_findings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "tree"
    write(
        root,
        {
            "app/__init__.py": "",
            "app/db.py": DB,
            "app/views.py": VIEWS.replace("(close)()", "close()"),
            "app/other.py": (
                "from app.db import connect, close\n\n\ndef f():\n    return connect(), close()\n"
            ),
            "app/quiet.py": "import app.db\n\n\ndef f():\n    return app.db.connect()\n",
        },
    )
    result = lint_tree(root)
    expected = set(fixable_by_file(result))
    assert len(expected) == 2

    parsed: list[object] = []
    real_names = stale_plan.module_names

    def counting_parse(tree: object) -> object:
        parsed.append(tree)
        return real_names(tree)  # type: ignore[arg-type]

    read: list[str] = []
    real_read = attach._read

    def counting_read(path: str) -> str | None:
        read.append(path)
        return real_read(path)

    monkeypatch.setattr(stale_plan, "module_names", counting_parse)
    monkeypatch.setattr(attach, "_read", counting_read)
    stale_import.analyse.cache_clear()

    attached = attach_fixes(list(result.diagnostics), result.summaries)

    assert set(read) == expected and len(read) == len(expected)
    assert len(parsed) == len(expected)
    assert sum(d.fix is not None for d in attached) >= 6
    # Findings keep their order, and only the fixable ones change.
    assert [(d.path, d.location, d.code) for d in attached] == [
        (d.path, d.location, d.code) for d in result.diagnostics
    ]
    for before, after in zip(result.diagnostics, attached, strict=True):
        if not before.fixable:
            assert after is before
        else:
            assert after.fixable == (after.fix is not None)


# ---------------------------------------------------------------- in worker processes


def _many_fixable_files(root: Path, count: int = 6) -> RunResult:
    tree = {"app/__init__.py": "", "app/db.py": DB}
    for number in range(count):
        tree[f"app/user{number}.py"] = (
            "from app.db import connect, close\n\n\n"
            f"def f{number}():\n    return connect(), close()\n"
        )
    write(root, tree)
    return lint_tree(root)


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix small trees in worker processes too (a real run keeps them in-process)."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)


def test_a_small_project_is_fixed_without_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reloadlint import pool

    result = _many_fixable_files(tmp_path / "tree")
    here = attach_fixes(list(result.diagnostics), result.summaries, jobs=1)

    def no_pool(*args: object, **kwargs: object) -> object:
        raise AssertionError("workers started for a small project")

    monkeypatch.setattr(pool, "run", no_pool)
    assert attach_fixes(list(result.diagnostics), result.summaries, jobs=2) == here


@pytest.mark.usefixtures("in_workers")
def test_fixes_from_worker_processes_are_the_ones_computed_here(tmp_path: Path) -> None:
    result = _many_fixable_files(tmp_path / "tree")
    assert len(fixable_by_file(result)) >= parallel.MIN_PARALLEL_FILES
    here = attach_fixes(list(result.diagnostics), result.summaries, jobs=1)
    in_workers = attach_fixes(list(result.diagnostics), result.summaries, jobs=2)
    assert in_workers == here
    assert sum(d.fix is not None for d in here) >= 12


@pytest.mark.usefixtures("in_workers")
def test_a_worker_that_dies_costs_only_the_fixes_of_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    result = _many_fixable_files(tmp_path / "tree")
    here = attach_fixes(list(result.diagnostics), result.summaries, jobs=1)
    real = batch.fixes_for_file

    def crashing(source: str, diagnostics: object, **context: object) -> object:
        if "def f3()" in source:
            os._exit(70)  # what a segfault in libcst's native parser looks like to the pool
        return real(source, diagnostics, **context)  # type: ignore[arg-type]

    # Forked workers inherit the patch; this process never calls it for that file.
    monkeypatch.setattr(batch, "fixes_for_file", crashing)
    attached = attach_fixes(list(result.diagnostics), result.summaries, jobs=2)
    for before, after in zip(here, attached, strict=True):
        if before.path.endswith("user3.py"):
            assert after.fix is None and not after.fixable
        else:
            assert after == before


# ---------------------------------------------------------------- cached


def test_a_warm_run_takes_its_fixes_whole_under_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a run key (one that fixes every file and so the findings), the run's fixes
    are kept whole: the next run with that key reads neither the files nor the other
    modules' summaries; another key, or a changed style, computes them again."""
    from reloadlint import cache
    from reloadlint.confine import ProjectRoots
    from reloadlint.fixes import attach

    root = tmp_path / "tree"
    result = _many_fixable_files(root, count=3)
    directory = cache.CacheDir(tmp_path / "cache")
    roots = ProjectRoots.of(root, [root])
    fresh = attach_fixes(
        list(result.diagnostics), result.summaries, cache_dir=directory, roots=roots, run_key="k"
    )
    assert any(d.fix is not None for d in fresh)
    reads: list[str] = []
    monkeypatch.setattr(attach, "_read", lambda path: reads.append(path))  # type: ignore[func-returns-value]
    again = attach_fixes(
        list(result.diagnostics), {}, cache_dir=directory, roots=roots, run_key="k"
    )
    assert again == fresh and reads == []
    other = attach_fixes(
        list(result.diagnostics), result.summaries, cache_dir=directory, roots=roots, run_key="j"
    )
    assert reads and all(d.fix is None for d in other)  # computed: the files "unreadable"
    reads.clear()
    (root / "ruff.toml").write_text("line-length = 40\n")
    from reloadlint.fixes import style

    style._for_directory.cache_clear()
    attach_fixes(
        list(result.diagnostics), result.summaries, cache_dir=directory, roots=roots, run_key="k"
    )
    assert reads  # the style changed: not the run's fixes of before


def test_fixes_come_from_the_cache_until_the_file_or_its_findings_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reloadlint import cache

    root = tmp_path / "tree"
    result = _many_fixable_files(root, count=3)
    directory = cache.CacheDir(tmp_path / "cache")
    computed: list[str] = []
    real = batch.fixes_for_file

    def counting(source: str, diagnostics: object, **context: object) -> object:
        computed.append(source.splitlines()[-1].strip())
        return real(source, diagnostics, **context)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "fixes_for_file", counting)
    fresh = attach_fixes(list(result.diagnostics), result.summaries, cache_dir=directory)
    assert len(computed) == 3
    computed.clear()
    again = attach_fixes(list(result.diagnostics), result.summaries, cache_dir=directory)
    assert again == fresh and computed == []

    (root / "app/user1.py").write_text(
        "from app.db import connect, close\n\n\ndef g():\n    return close(), connect()\n"
    )
    edited = lint_tree(root)
    after = attach_fixes(list(edited.diagnostics), edited.summaries, cache_dir=directory)
    assert computed == ["return close(), connect()"]  # only the edited file
    assert after == attach_fixes(list(edited.diagnostics), edited.summaries)  # uncached

    computed.clear()
    pack = tmp_path / "cache" / cache.FIXES
    pack.write_bytes(pack.read_bytes()[:-10])  # truncated: ignored and rebuilt
    assert attach_fixes(list(edited.diagnostics), edited.summaries, cache_dir=directory) == after
    assert len(computed) == 3
