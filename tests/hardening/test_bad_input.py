"""Hostile files get an RL9xx finding (or a one-line error) and the run goes on.

Every test lints the canary project (``conftest.CANARY``) with one hostile file
added, through the CLI, and checks the exact code and exit status for the
hostile file and that the canary's RL101 is still reported: one bad file must
never hide the findings of the others.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hardening_support import CANARY_FINDING, Run, assert_clean_error, reloadlint, write

from reloadlint import safeio, source, steps
from reloadlint.config import OUTPUT_FORMATS
from reloadlint.request import LintRequest
from reloadlint.summary import summarize_bytes

HOSTILE = "app/hostile.py"


def lint_with(project: Path, content: bytes | str, *args: str) -> Run:
    write(project, {HOSTILE: content})
    return reloadlint(*args, ".")


def assert_reported(run: Run, *expected: tuple[str, int, str]) -> None:
    """Exactly these RL9xx findings, the canary still reported, exit status 1."""
    assert run.input_errors == set(expected), run.findings
    assert CANARY_FINDING in run.findings, run.findings
    assert run.exit_code == 1, run.stderr
    assert "internal error" not in run.stderr


# ---------------------------------------------------------------- syntax errors

PYTHON2 = {
    "print statement": ('import os\nprint "hello"\n', 2),
    "except comma": ("try:\n    pass\nexcept ValueError, error:\n    pass\n", 3),
    "exec statement": ('exec "x = 1"\n', 1),
    "backticks": ("x = `1`\n", 1),
    "octal literal": ("MODE = 0777\n", 1),
    "ur prefix": ("x = ur'text'\n", 1),
    "long suffix": ("BIG = 10L\n", 1),
    "raise comma": ("raise ValueError, 'bad'\n", 1),
}


@pytest.mark.parametrize("text,row", PYTHON2.values(), ids=PYTHON2.keys())
def test_python2_files_are_syntax_errors(project: Path, text: str, row: int) -> None:
    assert_reported(lint_with(project, text), (HOSTILE, row, "RL901"))


def test_syntax_newer_than_this_python_is_a_syntax_error_and_older_pythons_agree(
    project: Path,
) -> None:
    # PEP 695 (3.12) and template strings (3.14): whichever this interpreter
    # lacks is reported, never crashes the summarizer.
    text = (
        "x = 1\n\ntype Alias = list[int]\n\n\n"
        "def first[T](items: list[T]) -> T:\n    return items[0]\n"
    )
    run = lint_with(project, text)
    if sys.version_info >= (3, 12):
        assert_reported(run)
    else:
        assert_reported(run, (HOSTILE, 3, "RL901"))
    run = lint_with(project, "name = 'x'\ngreeting = t'hello {name}'\n")
    if sys.version_info >= (3, 14):
        assert_reported(run)
    else:
        assert_reported(run, (HOSTILE, 2, "RL901"))


PARSER_ERRORS = {
    "bad parameter list": ("def f(:\n    pass\n", 1),
    "unclosed bracket": ("x = (1,\n", 1),
    "missing indent": ("if True:\npass\n", 2),  # IndentationError is a SyntaxError too
    "tab indent": ("\tif True:\n        pass\n", 1),
    "unexpected indent": ("x = 1\n  y = 2\n", 2),
    "bare double star": ("f(**)\n", 1),
    "unclosed string": ("x = '\n", 1),
    "unclosed triple quote": ('x = """never closed\n\n', 1),
    "dangling operator": ("x = 1 +\n", 1),
    "lone continuation": ("\\\n", 1),
    "yield from nothing": ("def f():\n    yield from\n", 2),
    "bare generator argument": ("f(x for x in y, 1)\n", 1),
    "delete a call": ("del f()\n", 1),
    "bad conversion": ('print(f"{x!z}")\n', 1),
    "assign to comprehension": ("[x for x in y] = 1\n", 1),
}


@pytest.mark.parametrize("text,row", PARSER_ERRORS.values(), ids=PARSER_ERRORS.keys())
def test_syntax_errors_get_their_line(project: Path, text: str, row: int) -> None:
    assert_reported(lint_with(project, text), (HOSTILE, row, "RL901"))


COMPILER_ERRORS = [
    "from __future__ import braces\n",
    "nonlocal x\n",
    "def f():\n    x = 1\n    global x\n",
    "x = [i async for i in y]\n",
    "return 1\n",
    "await x\n",
    "def f(a, a):\n    pass\n",
    "break\n",
    "class C:\n    return 1\n",
]


@pytest.mark.parametrize("text", COMPILER_ERRORS)
def test_errors_only_the_compiler_sees_are_plain_code(project: Path, text: str) -> None:
    """reloadlint parses, it does not compile: these fail at import, not at parse time,
    and are left to the tests that import the module. They must simply not break anything."""
    assert_reported(lint_with(project, text))


# ---------------------------------------------------------------- decoding


def test_wrong_coding_line(project: Path) -> None:
    text = "# coding: ascii\nNAME = 'caf\u00e9'\n".encode()
    assert_reported(lint_with(project, text), (HOSTILE, 2, "RL902"))


def test_unknown_coding_line(project: Path) -> None:
    assert_reported(
        lint_with(project, b"# -*- coding: klingon -*-\nx = 1\n"), (HOSTILE, 1, "RL902")
    )


def test_a_correct_non_utf8_coding_line_is_analysed(project: Path) -> None:
    text = (
        "# coding: latin-1\nfrom app.db import connect\nNAME = 'caf\u00e9'\n\n\n"
        "def f():\n    return connect()\n"
    )
    run = lint_with(project, text.encode("latin-1"))
    assert_reported(run)
    assert (HOSTILE, 2, "RL101") in run.findings


@pytest.mark.parametrize("row", [1, 2, 7])
def test_undecodable_bytes_are_reported_on_their_line(project: Path, row: int) -> None:
    lines = [b"x = 1\n"] * 8
    lines[row - 1] = b"NAME = '\xff\xfe\xc3'\n"
    assert_reported(lint_with(project, b"".join(lines)), (HOSTILE, row, "RL902"))


def test_bom_is_skipped_and_positions_are_right(project: Path) -> None:
    text = "\ufefffrom app.db import connect\n\n\ndef f():\n    return connect()\n"
    run = lint_with(project, text.encode("utf-8"))
    assert_reported(run)
    assert (HOSTILE, 1, "RL101") in run.findings


def test_bom_contradicting_the_coding_line(project: Path) -> None:
    text = b"\xef\xbb\xbf# coding: latin-1\nx = 1\n"
    assert_reported(lint_with(project, text), (HOSTILE, 1, "RL902"))


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_other_line_endings_keep_line_numbers(project: Path, newline: str) -> None:
    text = newline.join(
        ["x = 1", "\f", "from app.db import connect", "", "def f():", "    return connect()", ""]
    )
    run = lint_with(project, text.encode())
    assert_reported(run)
    assert (HOSTILE, 3, "RL101") in run.findings


# ---------------------------------------------------------------- not text at all


def test_nul_bytes(project: Path) -> None:
    assert_reported(lint_with(project, b"x = 1\n\x00\x00y = 2\n"), (HOSTILE, 1, "RL903"))


def test_binary_file_named_py(project: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert_reported(lint_with(project, png), (HOSTILE, 1, "RL903"))


def test_binary_without_nul_bytes_is_a_decode_error(project: Path) -> None:
    data = bytes(range(0x80, 0x100)) * 16
    assert_reported(lint_with(project, data), (HOSTILE, 1, "RL902"))


@pytest.mark.parametrize(
    "content",
    [b"", b"\n", b"   \n\n\t\n", b"# only a comment", b"\xef\xbb\xbf", b"\f\n", b"pass", b"\r"],
    ids=[
        "empty",
        "newline",
        "whitespace",
        "comment",
        "bom-only",
        "form-feed",
        "no-newline",
        "lone-cr",
    ],
)
def test_empty_and_trivial_files_are_clean(project: Path, content: bytes) -> None:
    run = lint_with(project, content)
    assert_reported(run)
    assert run.codes_for(HOSTILE) == []


# ---------------------------------------------------------------- size


def test_a_50_mb_file_is_refused_quickly_and_cheaply(project: Path) -> None:
    """Real content (not a sparse file), measured in a fresh process:
    seconds, not minutes; megabytes, not gigabytes."""
    line = b"VALUE = [1, 2, 3]  # generated\n"
    (project / "app").mkdir(exist_ok=True)
    with open(project / HOSTILE, "wb") as handle:
        for _ in range(50 * 1024 * 1024 // (len(line) * 1024) + 1):
            handle.write(line * 1024)
    assert (project / HOSTILE).stat().st_size > 50 * 1024 * 1024
    measure = textwrap.dedent(
        """
        import resource, subprocess, sys, time
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "reloadlint", "--isolated", "--no-cache",
                               "--output-format", "concise", "."], capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(proc.returncode, round(time.monotonic() - start, 1), peak)
        print(proc.stdout)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", measure], capture_output=True, text=True, check=True
    ).stdout
    status, seconds, peak_mb = out.split("\n", 1)[0].split()
    assert int(status) == 1, out
    assert "app/hostile.py:1:1: RL903 file is 5" in out, (
        out
    )  # "file is 50.x MB, over the 5 MB limit"
    assert "app/views.py:1:20: RL101" in out, out
    assert float(seconds) < 20, out
    assert int(peak_mb) < 300, out


def test_a_huge_sparse_file_is_refused_without_reading_it(project: Path) -> None:
    write(project, {HOSTILE: b""})
    with open(project / HOSTILE, "wb") as handle:
        handle.truncate(4 * 1024**3)  # 4 GB of holes: reading it would be the bug
    start = time.monotonic()
    run = reloadlint(".")
    assert_reported(run, (HOSTILE, 1, "RL903"))
    assert time.monotonic() - start < 10


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_a_file_larger_than_its_stat_size_is_still_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc files report size 0 but have content: like a file that grew after stat().
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 16)
    error = source.read_bytes(Path("/proc/self/status"))
    assert isinstance(error, source.SourceError) and error.code == "RL903"


def test_very_long_lines(project: Path) -> None:
    start = time.monotonic()
    text = "NAME = '" + "x" * 3_000_000 + "'\nVALUES = [" + "0, " * 300_000 + "]\n"
    assert_reported(lint_with(project, text))
    assert time.monotonic() - start < 30


# ---------------------------------------------------------------- nesting


def _chain(terms: int) -> str:
    return "from app.db import connect\nX = " + "+".join(["1"] * terms) + "\n"


DEEP = {
    "binop": (_chain(100_000), 1),
    # Python 3.10's parser accepts a 100,000-long attribute chain and the summarizer
    # walks it without recursing: analysed, nothing to report (None).
    "attribute": ("X = a" + ".b" * 100_000 + "\n", 1 if sys.version_info >= (3, 11) else None),
    "call-chain": ("X = f" + "()" * 100_000 + "\n", 1),
    "unary": ("X = " + "-" * 100_000 + "1\n", 1),
    "not": ("X = " + "not " * 100_000 + "1\n", 1),
    "lambda": ("X = " + "lambda: " * 10_000 + "1\n", 1),
    "ifexp": ("X = " + "a if b else " * 10_000 + "c\n", 1),
    "lists": ("X = " + "[" * 3000 + "]" * 3000 + "\n", 1),
    "calls": ("X = " + "f(" * 3000 + ")" * 3000 + "\n", 1),
    "dicts": ("X = " + "{'a': " * 3000 + "1" + "}" * 3000 + "\n", 1),
    # the tokenizer stops at 100 levels of indentation: reported where it gave up
    "blocks": ("".join("    " * i + "if x:\n" for i in range(150)) + "    " * 150 + "pass\n", 101),
}


@pytest.mark.parametrize("text,row", DEEP.values(), ids=DEEP.keys())
def test_nesting_thousands_deep_is_too_complex_not_a_crash(
    project: Path, text: str, row: int | None
) -> None:
    run = lint_with(project, text)
    if row is None:
        assert_reported(run)
    else:
        assert_reported(run, (HOSTILE, row, "RL904"))


def test_deep_but_parseable_code_is_still_analysed(project: Path) -> None:
    # 1,500 levels parse (the parser's own limit is about 3,000 here) and must
    # be summarised, not dropped: the stale import on line 1 is found.
    text = _chain(1500) + "\n\ndef f():\n    return connect()\n"
    run = lint_with(project, text)
    assert_reported(run)
    assert (HOSTILE, 1, "RL101") in run.findings


SUMMARIZE_DEEP = """
import sys, time
sys.setrecursionlimit({limit})
from reloadlint.summary import summarize_bytes
text = "X = " + "+".join(["1"] * 100_000) + "\\n"
start = time.monotonic()
summary, error = summarize_bytes(text.encode(), "m.py", "m", False, fingerprints=True)
print(error.code if error else None, round(time.monotonic() - start, 1))
"""


@pytest.mark.parametrize("limit", [1000, 10**6])
def test_the_summarizer_bounds_its_own_recursion(limit: int) -> None:
    """A host that raised the recursion limit lets ``ast.parse`` build a
    100,000-deep tree (Python 3.10 always does): the walk must stop at its own
    budget with RL904, not overflow the C stack (a segfault) or spend minutes
    in a quadratic ``ast.dump``. Run in a fresh interpreter: a crash must not
    take pytest down."""
    proc = subprocess.run(
        [sys.executable, "-c", SUMMARIZE_DEEP.format(limit=limit)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    code, seconds = proc.stdout.split()
    assert code == "RL904"
    assert float(seconds) < 30


def test_recursion_error_anywhere_in_the_summarizer_becomes_rl904(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reloadlint.summary import builder

    def overflow(self: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(builder.Summarizer, "run", overflow)
    before = sys.getrecursionlimit()
    summary, error = summarize_bytes(b"x = 1\n", "m.py", "m", False)
    assert error is not None and error.code == "RL904"
    assert not summary.bindings  # an empty summary, not a half-made one
    assert sys.getrecursionlimit() == before


# ---------------------------------------------------------------- the file system


def test_unreadable_file_simulated(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads anything, so the permission error is injected where the file is opened."""
    write(project, {HOSTILE: "x = 1\n"})
    real_open = os.open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("hostile.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(safeio.os, "open", guarded_open)
    run = reloadlint(".")
    assert_reported(run, (HOSTILE, 1, "RL903"))
    assert "permission denied" in run.stdout


def _without_file_permissions_override() -> list[str] | None:
    """A command prefix that runs a process unable to ignore file modes, or None."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    caps = "-dac_override,-dac_read_search"
    prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def test_unreadable_file_and_directory_real_permissions(project: Path) -> None:
    """chmod 000, for real: as root, in a process stripped of the capabilities that bypass it."""
    prefix = _without_file_permissions_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot drop the permission override")
    write(
        project,
        {HOSTILE: "x = 1\n", "app/locked/__init__.py": "", "app/locked/inner.py": "x = 1\n"},
    )
    (project / HOSTILE).chmod(0)
    (project / "app/locked").chmod(0)
    try:
        proc = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-m",
                "reloadlint",
                "--isolated",
                "--no-cache",
                "--output-format",
                "concise",
                ".",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        (project / HOSTILE).chmod(0o644)
        (project / "app/locked").chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "app/hostile.py:1:1: RL903 permission denied" in proc.stdout
    assert "app/views.py:1:20: RL101" in proc.stdout
    assert "app/locked: permission denied" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_broken_and_looping_symlinks_in_a_tree(project: Path) -> None:
    os.symlink("nowhere.py", project / "app/broken.py")
    os.symlink("loop.py", project / "app/loop.py")
    os.symlink(".", project / "app/cycle")  # a directory that contains itself
    run = reloadlint(".")
    assert_reported(run)
    assert "app/broken.py: broken or looping symbolic link" in run.stderr
    assert "app/loop.py: broken or looping symbolic link" in run.stderr
    assert run.findings.count(CANARY_FINDING) == 1  # the cycle did not lint anything twice


def test_broken_symlink_named_on_the_command_line(project: Path) -> None:
    os.symlink("nowhere.py", project / "app/broken.py")
    assert_clean_error(reloadlint("app/broken.py"), "app/broken.py", "broken symbolic link")


def test_missing_path_named_on_the_command_line(project: Path) -> None:
    assert_clean_error(reloadlint("app/nothere.py"), "app/nothere.py")


def test_file_deleted_between_discovery_and_reading(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, {HOSTILE: "x = 1\n"})
    collect = steps.collect_files

    def collect_then_delete(request: LintRequest) -> object:
        found = collect(request)
        (project / HOSTILE).unlink()
        return found

    monkeypatch.setattr(steps, "collect_files", collect_then_delete)
    assert_reported(reloadlint("."), (HOSTILE, 1, "RL903"))


def test_file_deleted_before_the_report_and_before_the_fix(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full format reads source lines for its snippets and ``--fix`` reads the file again:
    both must cope with a file that has gone."""
    summarize = steps.summarize_entries

    def summarize_then_delete(*args: object, **kwargs: object) -> object:
        results = summarize(*args, **kwargs)  # type: ignore[arg-type]
        if (project / "app/views.py").exists():
            (project / "app/views.py").unlink()
        return results

    monkeypatch.setattr(steps, "summarize_entries", summarize_then_delete)
    run = reloadlint("--fix", ".", json_output=False)
    assert run.exit_code == 1, run.stderr
    assert "app/views.py:1:20: RL101" in run.stdout
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr


def test_directory_named_like_a_module(project: Path) -> None:
    write(
        project,
        {
            "app/dir.py/__init__.py": "",
            "app/dir.py/inner.py": (
                "from app.db import connect\n\n\ndef f():\n    return connect()\n"
            ),
        },
    )
    run = reloadlint(".")
    assert_reported(run)
    assert ("app/dir.py/inner.py", 1, "RL101") in run.findings
    named = reloadlint("app/dir.py", "app/views.py")
    assert_reported(named)


def test_non_utf8_file_and_directory_names(project: Path) -> None:
    for name in (b"app/caf\xe9.py", b"app/\xff\xfe/mod.py"):
        path = os.path.join(os.fsencode(project), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"x = (\n")  # a syntax error, so that the name is printed
    for fmt in OUTPUT_FORMATS:
        run = reloadlint("--output-format", fmt, ".", json_output=False)
        assert run.exit_code == 1, (fmt, run.stderr)
        assert "internal error" not in run.stderr and "Traceback" not in run.stderr, fmt
    run = reloadlint(".")
    assert CANARY_FINDING in run.findings
    # Undecodable bytes are shown escaped, one finding per file.
    assert [f for f in run.findings if f[2] == "RL901"] == [
        ("app/\\xff\\xfe/mod.py", 1, "RL901"),
        ("app/caf\\xe9.py", 1, "RL901"),
    ]
