"""Fuzzing the whole pipeline: summarizer, every rule, the fixes and the output formats.

Programs come from three sources:

- ``hypothesmith``: syntactically valid Python generated from the grammar and
  from libcst's node types (random, but rarely shaped like the code the rules
  look for);
- corpus splices: statements cut from the rule corpus (``rules/*``), mixed,
  wrapped in functions, classes and ``if`` blocks and appended to a
  hypothesmith program, so that imports, module state, classes with
  ``__vsn__``, environment reads and the like meet in odd combinations;
- byte mutations of both, for invalid input (bytes inserted, deleted,
  replaced; NULs, BOMs, coding lines, unclosed brackets).

Each program becomes ``app/gen.py`` in a corpus project (so cross-module
questions get asked) and goes through everything: no exception may escape,
valid programs must be analysed (only RL904 may refuse them), and every fix
a fixer offers must parse and keep every definition.

The default run is bounded (a few dozen examples per test, derandomised so
CI is repeatable); ``RELOADLINT_FUZZ_EXAMPLES=5000`` runs that many per test
with fresh randomness (see docs/hardening.md).
"""

from __future__ import annotations

import ast
import functools
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import hypothesmith
import pytest
from click.testing import CliRunner
from corpus import RULES_DIR
from hardening_support import write
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reloadlint import cli, output
from reloadlint.cli import command
from reloadlint.config import OUTPUT_FORMATS, Settings
from reloadlint.engine import RunResult, lint
from reloadlint.fixes import FIXERS, FixContext, apply, fix_spec, fixed_source
from reloadlint.request import LintRequest
from reloadlint.selection import enabled_codes
from reloadlint.summary import summarize_bytes

# hypothesmith compile()s what it generates (never runs it): its SyntaxWarnings are noise here.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

#: ``RELOADLINT_FUZZ_EXAMPLES=N``: N examples per test, random seeds (the long run).
LONG_RUN = int(os.environ.get("RELOADLINT_FUZZ_EXAMPLES", "0") or 0)
TREE_CODES = enabled_codes(("ALL",), (), (), upgrade=False)
GENERATED = "app/gen.py"
#: What a valid program may still get: too deep to analyse, or a coding
#: comment that names an unknown encoding (compile() of a str ignores it).
ALLOWED_FOR_VALID = {"RL904", "RL902"}
COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=LONG_RUN or examples,
        derandomize=not LONG_RUN,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# ---------------------------------------------------------------- the corpus


def _corpus_projects() -> list[dict[str, bytes]]:
    """Every corpus project (tree, v1 or v2) as relative path -> bytes."""
    projects = []
    for root in sorted(RULES_DIR.glob("RL*/*/*")):
        if root.name in ("tree", "v1", "v2") and root.is_dir():
            files = {
                p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))
            }
            if files:
                projects.append(files)
    return projects


def _statements(projects: list[dict[str, bytes]]) -> list[str]:
    """The top-level statements of every corpus module, each valid on its own."""
    found: set[str] = set()
    for files in projects:
        for data in files.values():
            text = data.decode("utf-8")
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            for node in tree.body:
                segment = ast.get_source_segment(text, node)
                if segment and not segment.startswith("from __future__"):
                    found.add(segment)
    return sorted(found)


PROJECTS = _corpus_projects()
STATEMENTS = _statements(PROJECTS)


# ---------------------------------------------------------------- strategies

WRAPPERS = [
    "def _wrapped():\n",
    "async def _wrapped_async():\n",
    "class _Wrapped:\n",
    "if TYPE_CHECKING:\n",
    "if __name__ == '__main__':\n",
    "try:\n",
    "while True:\n",
    "with open('settings.toml') as handle:\n",
]


@st.composite
def spliced(draw: st.DrawFn) -> str:
    """Corpus statements, some wrapped in a block, in any order."""
    parts = []
    for statement in draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=10)):
        wrapper = draw(st.sampled_from([None, None, *WRAPPERS]))
        if wrapper is None:
            parts.append(statement)
        else:
            tail = "except Exception:\n    pass\n" if wrapper == "try:\n" else ""
            parts.append(wrapper + textwrap.indent(statement, "    ") + "\n" + tail)
    return "\n".join(parts) + "\n"


@functools.cache
def _from_grammar() -> st.SearchStrategy[str]:
    return hypothesmith.from_grammar(auto_target=False)  # builds a parser: seconds, so once


def grammar_programs() -> st.SearchStrategy[str]:
    """hypothesmith's grammar programs, the (slow) strategy built on first use only."""
    return st.deferred(lambda: _from_grammar())


def programs() -> st.SearchStrategy[str]:
    """Valid Python: generated, spliced from the corpus, or both."""
    generated = st.one_of(
        grammar_programs(),
        grammar_programs(),
        st.deferred(lambda: hypothesmith.from_node(auto_target=False)),
    )
    mixed = st.tuples(generated, spliced()).map(
        lambda pair: pair[0].rstrip("\n") + "\n\n" + pair[1]
    )
    return st.one_of(spliced(), generated, mixed)


TOKENS = [
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"# coding: latin-1\n",
    b"# -*- coding: klingon -*-\n",
    b"(",
    b")",
    b'"""',
    b"'",
    b"\\",
    b"\r",
    b"\r\n",
    b"\t",
    b"\x0c",
    b"if x:\n",
    b"    ",
    b"\n",
    b"def",
    b":",
    b"\xc3",
    b"\xe9",
    b"lambda",
    b"f'{",
    b"}",
    b"#",
    b"import app.db\n",
    b"from . import *\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid program with a few bytes inserted, deleted, replaced or repeated."""
    data = bytearray(
        draw(st.one_of(spliced(), grammar_programs())).encode("utf-8", "surrogatepass")
    )
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "repeat", "truncate"]))
        if op == "insert":
            data[at:at] = draw(
                st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8))
            )
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(1, 50))
        elif op == "truncate":
            del data[at:]
    return bytes(data)


# ---------------------------------------------------------------- the pipeline


def _project(root: Path, files: dict[str, bytes], generated: bytes) -> None:
    for name, data in files.items():
        write(root, {name: data})
    if not (root / "app/__init__.py").exists():
        write(root, {"app/__init__.py": ""})
    write(root, {GENERATED: generated})
    # Importers of the generated module, so that its names are asked about from outside.
    write(
        root,
        {
            "app/user_of_gen.py": (
                "import app.gen\nfrom app.gen import *\nfrom app import gen as g\n\n\n"
                "def use():\n    return app.gen, g\n"
            )
        },
    )


def _lint(root: Path) -> tuple[LintRequest, RunResult]:
    request = LintRequest(
        paths=[root], settings=Settings(root=root), codes=TREE_CODES, use_cache=False, jobs=1
    )
    return request, lint(request)


def _check_fixes(result: RunResult) -> None:
    """Every fixer's raw answer, not only what ``fixed_source`` lets through, must
    parse and keep every definition; and ``fixed_source`` must agree."""
    from reloadlint.fixes import _defined_names

    for diagnostic in result.diagnostics:
        spec = fix_spec(diagnostic.code)
        summary = result.summaries.get(diagnostic.path)
        if spec is None or summary is None:
            continue
        try:
            source = Path(diagnostic.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        code = source.removeprefix("\ufeff")
        try:
            raw = FIXERS[spec.fixer](code, [diagnostic], FixContext(summary.is_package))
        except RecursionError:
            raw = None  # libcst on deep code; fixed_source refuses such files first
        if raw is not None and raw != code:
            after = _defined_names(raw)
            assert after is not None, f"{diagnostic.code} fix does not parse:\n{raw}"
            assert (_defined_names(code) or set()) <= after, (
                f"{diagnostic.code} fix lost a definition:\n{raw}"
            )
        fixed = fixed_source(source, diagnostic, is_package=summary.is_package)
        if fixed is not None:
            ast.parse(fixed.removeprefix("\ufeff"))


def _render_everything(result: RunResult) -> None:
    context = cli._output_context(False)
    for fmt in OUTPUT_FORMATS:
        output.render(fmt, result.diagnostics, context)
    output.statistics(result.diagnostics)


def _fix_for_real(request: LintRequest, result: RunResult, root: Path) -> None:
    """--fix --unsafe-fixes on the project: every file it writes still parses."""
    before = {p: p.read_bytes() for p in root.rglob("*.py")}
    apply.apply_fixes(request, result, unsafe=True, diff_only=False)
    for path, data in before.items():
        now = path.read_bytes()
        if now != data:
            ast.parse(now.decode("utf-8").removeprefix("\ufeff"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One directory reused by every example (hypothesis runs many per test)."""
    yield tmp_path_factory.mktemp("fuzz")


def _fresh(workdir: Path) -> Path:
    root = Path(tempfile.mkdtemp(dir=workdir))
    return root


# ---------------------------------------------------------------- the tests


@fuzz_settings(examples=30)
@given(program=programs(), files=st.sampled_from(PROJECTS))
def test_valid_programs_go_through_everything(
    workdir: Path, program: str, files: dict[str, bytes]
) -> None:
    try:
        data = program.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a literal: not a file anyone can save
        assume(False)
    root = _fresh(workdir)
    try:
        _, error = summarize_bytes(data, GENERATED, "app.gen", False, fingerprints=True)
        if error is not None:
            assert error.code in ALLOWED_FOR_VALID, (error, program)
            assert error.code != "RL902" or COOKIE.search(data), (error, program)
        _project(root, files, data)
        request, result = _lint(root)
        generated_errors = [
            d for d in result.diagnostics if d.path.endswith("gen.py") and d.code.startswith("RL9")
        ]
        assert all(d.code in ALLOWED_FOR_VALID for d in generated_errors), (
            generated_errors,
            program,
        )
        _check_fixes(result)
        _render_everything(result)
        _fix_for_real(request, result, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@fuzz_settings(examples=60)
@given(data=mutated(), files=st.sampled_from(PROJECTS))
def test_mutated_bytes_never_break_the_run(
    workdir: Path, data: bytes, files: dict[str, bytes]
) -> None:
    root = _fresh(workdir)
    try:
        _, error = summarize_bytes(data, GENERATED, "app.gen", False, fingerprints=True)
        assert error is None or error.code in {"RL901", "RL902", "RL903", "RL904"}
        _project(root, files, data)
        request, result = _lint(root)
        mine = [
            d for d in result.diagnostics if d.path.endswith("gen.py") and d.code.startswith("RL9")
        ]
        assert len(mine) <= 1, mine  # one reason a file could not be analysed, at most
        _check_fixes(result)
        _render_everything(result)
        _fix_for_real(request, result, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- upgrade mode

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def git_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An isolated git (no user config, fixed identity) for the whole module."""
    home = tmp_path_factory.mktemp("githome")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(home))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("GIT_CEILING_DIRECTORIES", str(home.parent))
        for role in ("AUTHOR", "COMMITTER"):
            patch.setenv(f"GIT_{role}_NAME", "t")
            patch.setenv(f"GIT_{role}_EMAIL", "t@t")
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            patch.delenv(name, raising=False)
        yield home


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@needs_git
@fuzz_settings(examples=8)
@given(
    old=programs(),
    new=st.one_of(programs(), mutated().map(lambda b: b.decode("utf-8", "replace"))),
    files=st.sampled_from(PROJECTS),
)
def test_upgrades_between_programs_never_break_the_run(
    git_env: Path, workdir: Path, old: str, new: str, files: dict[str, bytes]
) -> None:
    try:
        old_data, new_data = old.encode("utf-8"), new.encode("utf-8")
    except UnicodeEncodeError:
        assume(False)
    root = _fresh(workdir)
    try:
        _project(root, files, old_data)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "v1")
        write(root, {GENERATED: new_data})
        runner = CliRunner()
        for extra in ([], ["--plan"]):
            result = runner.invoke(
                command,
                [
                    "--isolated",
                    "--no-cache",
                    "--verbose",
                    "--select",
                    "ALL",
                    "--output-format",
                    "json",
                    "--base",
                    "HEAD",
                    *extra,
                    str(root),
                ],
            )
            assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (
                result.stderr,
                old,
                new,
            )
            if extra and result.exit_code == 2:
                # --plan refuses, in one line, to plan an upgrade to code that does not load
                # (after --verbose's own lines, such as the configuration file read).
                errors = [line for line in result.stderr.splitlines() if " error: " in line]
                assert len(errors) == 1, result.stderr
                assert errors[0].startswith("reloadlint: error: cannot plan"), result.stderr
            else:
                assert result.exit_code in (0, 1), (extra, result.stderr, old, new)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_corpus_feeds_the_fuzzer() -> None:
    """If the corpus moved, the splices would silently become empty."""
    assert len(PROJECTS) > 20
    assert len(STATEMENTS) > 100
