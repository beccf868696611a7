"""Output that quotes the analysed code is safe to print on a terminal.

A file can hold escape sequences (clear the screen, move the cursor, set the
window title), a BEL, a form feed, bidirectional overrides that reorder what
the reader sees ("Trojan Source"), and 50,000-character minified lines. The
text formats show such characters as visible one-cell symbols (rustc's
choice: Control Pictures for C0 and DEL, U+FFFD for C1 and bidirectional
controls) and cut long source lines around the reported column; the JSON
formats keep the exact text but escape what JSON itself leaves raw. In every
case the carets still point at the reported characters.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from reloadlint.cli import command
from reloadlint.diagnostics import Diagnostic, Position
from reloadlint.output import OutputContext, render
from reloadlint.output.full import ELLIPSIS, MAX_SOURCE_WIDTH, excerpt, underline
from reloadlint.output.sanitize import escape_json, message, visible

#: Everything a terminal may act on: C0 but tab and newline, DEL, C1, bidi
#: controls and the Unicode line/paragraph separators.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
#: The only escape sequences allowed in coloured output: reloadlint's own SGR codes.
OWN_SGR = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE = "\x1b[2J\x1b[1;1H\x07all clear\x0c\u202etxt.exe\u2066\x9b31m\x7f\u2028"

ESC, BEL, FF, RLO = "\x1b", "\x07", "\x0c", "\u202e"


def cells(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


# ---------------------------------------------------------------- the sanitiser


@pytest.mark.parametrize(
    "char",
    [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
    + list("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"),
)
def test_every_control_is_shown_as_one_visible_cell(char: str) -> None:
    if char == "\t":
        assert visible(char) == "\t"  # expanded by full, harmless elsewhere
        return
    shown = visible(char)
    assert len(shown) == 1 and cells(shown) == 1
    assert not RAW.search(shown)
    assert message(char) in (shown, "\\n", "\\r")


def test_controls_are_shown_as_rustc_shows_them() -> None:
    assert visible(f"a{ESC}[2J{BEL}{FF}\x7fb") == "a␛[2J␇␌␡b"
    assert visible(f"x{RLO}y\u2066z\x9b") == "x\ufffdy\ufffdz\ufffd"
    assert visible("naïve 名前 emoji 🎉\ttab") == "naïve 名前 emoji 🎉\ttab"  # text is left alone


def test_messages_stay_on_one_line() -> None:
    assert message("a\nb\r\nc\x1bd") == "a\\nb\\r\\nc␛d"


def test_json_escaping_is_lossless_and_leaves_nothing_raw() -> None:
    value = {"message": f"names {HOSTILE} and 名前", HOSTILE: [HOSTILE]}
    document = escape_json(json.dumps(value, ensure_ascii=False))
    assert not RAW.search(document)
    assert json.loads(document) == value
    assert "名前" in document  # only the dangerous characters are escaped


# ---------------------------------------------------------------- the source frame


def diag(
    row: int = 1, column: int = 1, end: int = 2, path: str = "/srv/app/m.py", msg: str = "m"
) -> Diagnostic:
    return Diagnostic("RL101", "x", msg, path, Position(row, column), Position(row, end))


def test_long_line_is_cut_around_the_reported_column() -> None:
    line = "a" * 25_000 + "connect" + "b" * 25_000
    shown, indent, length = excerpt(line, diag(column=25_001, end=25_008))
    assert cells(shown) <= MAX_SOURCE_WIDTH
    assert shown.startswith(ELLIPSIS) and shown.endswith(ELLIPSIS)
    assert shown[indent : indent + length] == "connect"
    assert indent > 10  # some context before the finding is kept


@pytest.mark.parametrize("column", [1, 60, 119, 121, 200, 4_990, 5_000, 5_001])
def test_cut_lines_keep_the_caret_on_the_reported_character(column: int) -> None:
    line = "".join(chr(ord("a") + i % 26) for i in range(5_000))
    shown, indent, length = excerpt(line, diag(column=column, end=column + 1))
    assert cells(shown) <= MAX_SOURCE_WIDTH
    assert length == 1
    if column <= len(line):
        assert shown[indent] == line[column - 1]
    else:  # just past the end of the line
        assert indent == cells(shown.removesuffix(ELLIPSIS))


def test_a_range_longer_than_the_window_is_clipped_to_it() -> None:
    line = "x" * 10_000
    shown, indent, length = excerpt(line, diag(column=1, end=9_000))
    assert indent == 0 and indent + length <= MAX_SOURCE_WIDTH and shown.endswith(ELLIPSIS)


def test_short_lines_are_not_cut() -> None:
    line = "x = " + "y" * (MAX_SOURCE_WIDTH - 4)
    shown, _, _ = excerpt(line, diag(column=5, end=6))
    assert shown == line


def test_caret_after_controls_and_wide_characters() -> None:
    line = f'S = "{ESC}[2J{RLO}名前\t"; from app.db import connect'
    column = line.index("connect") + 1
    shown, indent, length = excerpt(line, diag(column=column, end=column + 7))
    assert not RAW.search(shown)
    # Measured in cells: 名前 take two each, the tab four, each control one.
    assert cells(shown[: shown.index("connect")]) == indent and length == 7
    assert (indent, length) == underline(line, diag(column=column, end=column + 7))


# ---------------------------------------------------------------- the CLI end to end

LONG_LINE = (
    'LEFT = "'
    + "a" * 25_000
    + '"; from app.db import connect as c2; RIGHT = "'
    + "b" * 25_000
    + '"\n'
)


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "db.py").write_text("def connect():\n    return 1\n")
    views = (
        "import importlib\n"
        f'from app.db import connect; BANNER = "{ESC}[2J{ESC}[1;1H{BEL}all clear{FF}{RLO}txt.exe"\n'
        + LONG_LINE
        + textwrap.dedent(
            """\
            def handler():
                return connect(), c2()


            def load():
                return importlib.import_module("app.gone\\x1b]0;pwned\\x07\\u202e\\x9b2J")
            """
        )
    )
    (root / "app" / "views.py").write_text(views, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def run(*args: str, env: dict[str, str] | None = None) -> str:
    """The CLI's stdout; ``color=True`` stops click from stripping escape
    sequences as it does for a pipe, so what reaches a terminal is tested."""
    result = CliRunner().invoke(
        command,
        ["--isolated", "--no-cache", "--select", "RL101,RL502", *args, "."],
        env=env,
        color=True,
    )
    assert result.exit_code == 1, (result.exit_code, result.output)
    return result.stdout


TEXT_FORMATS = ["full", "concise", "pylint", "github"]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_text_formats_print_no_raw_control_characters(hostile: Path, fmt: str) -> None:
    output = run("--output-format", fmt)
    assert not RAW.search(output), [m.group() for m in RAW.finditer(output)][:5]
    assert "␛[2J" in output or fmt != "full"  # the source line shows the sequence visibly
    assert "␛]0;pwned␇" in output or "\\x1b" in output  # so does the message
    lines = output.splitlines()
    assert len(lines) >= 3
    # Source lines are bounded; headers carry whole messages, which are short.
    assert max(cells(line) for line in lines) < 1_000


def test_full_output_in_colour_has_only_its_own_escape_codes(hostile: Path) -> None:
    output = run("--output-format", "full", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert OWN_SGR.search(output)
    assert not RAW.search(OWN_SGR.sub("", output))


def frames(output: str) -> list[tuple[str, str, str]]:
    """(header, source line, caret line) of each finding in ``full`` output."""
    blocks = [block.splitlines() for block in output.strip("\n").split("\n\n")]
    return [(b[0], b[2], b[3]) for b in blocks if len(b) >= 4]


def test_full_frames_point_at_the_reported_text(hostile: Path) -> None:
    source = (hostile / "app" / "views.py").read_text(encoding="utf-8").split("\n")  # not at FF
    found = json.loads(run("--output-format", "json"))
    by_position = {(d["location"]["row"], d["location"]["column"]): d for d in found}
    checked = 0
    for header, source_line, caret_line in frames(run("--output-format", "full")):
        row, column = (int(part) for part in header.split(":")[1:3])
        finding = by_position[(row, column)]
        gutter = source_line.index(" | ") + 3
        shown = source_line[gutter:]
        carets = caret_line[gutter:]
        indent = len(carets) - len(carets.lstrip(" "))
        length = len(carets.strip())
        assert cells(shown) <= MAX_SOURCE_WIDTH
        end = finding["end_location"]["column"] if finding["end_location"]["row"] == row else None
        reported = source[row - 1][column - 1 : None if end is None else end - 1]
        assert shown[indent : indent + length] == visible(reported)[:length], (
            header,
            shown,
            carets,
        )
        checked += 1
    assert checked >= 3  # the escape-laden line, the 50,000-character line, the RL502 string


@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "gitlab"])
def test_json_formats_escape_but_keep_the_text(hostile: Path, fmt: str) -> None:
    output = run("--output-format", fmt)
    assert not RAW.search(output)
    documents = (
        [json.loads(line) for line in output.splitlines()]
        if fmt == "json-lines"
        else [json.loads(output)]
    )
    assert any("\x1b]0;pwned\x07\u202e\x9b2J" in text for text in strings(documents))


def strings(value: object) -> list[str]:
    """Every string in a parsed JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.items() for part in item for s in strings(part)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_header_shows_hostile_paths_visibly() -> None:
    ctx = OutputContext(
        root=Path("/srv/app"), color=False, rules={}, source_line=lambda p, r: None, tool_version=""
    )
    path = f"/srv/app/evil{ESC}[31m{RLO}.py"
    for fmt in TEXT_FORMATS:
        output = render(fmt, [diag(path=path, msg=f"bad{BEL}\nnext")], ctx)
        assert not RAW.search(output), fmt
        assert len(output.strip("\n").splitlines()) == 1, fmt


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_without_colour_no_escape_character_at_all(hostile: Path, fmt: str) -> None:
    assert ESC not in run("--output-format", fmt, env={"NO_COLOR": "1", "FORCE_COLOR": ""})


# ---------------------------------------------------------------- stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["app/missing\x1b]0;title\x07\u202e.py"], id="missing-path"),
        pytest.param(["--baseline", "base\x1b[2J\u2066.json", "app"], id="missing-baseline"),
        pytest.param(["--config", "conf\x1b[31m\x9b.toml", "app"], id="missing-config"),
    ],
)
def test_errors_on_stderr_show_hostile_names_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "ok.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, ["--no-cache", *args], color=True)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("reloadlint: error: ")
    assert not RAW.search(result.stderr), repr(result.stderr)
    assert "\u241b" in result.stderr  # ESC shown as its control picture, where the name has it


def test_a_hostile_pyproject_path_is_shown_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "proj\x1b[31m\u202e"
    (project / "app").mkdir(parents=True)
    (project / "app" / "ok.py").write_text("x = 1\n")
    (project / "pyproject.toml").write_text("[tool.reloadlint\nselect = [\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(command, ["--no-cache", str(project / "app")], color=True)
    assert result.exit_code == 2, result.output
    assert "pyproject.toml" in result.stderr
    assert not RAW.search(result.stderr), repr(result.stderr)


# ------------------------------------------------- more of the repository's text (issue 13)


def test_junit_writes_bidi_and_c1_controls_as_references(hostile: Path) -> None:
    import xml.etree.ElementTree as ET

    output = run("--output-format", "junit")
    assert not RAW.search(output), [m.group() for m in RAW.finditer(output)][:5]
    texts = [node.get("message", "") for node in ET.fromstring(output).iter("failure")]
    assert any("\u202e\\x9b2J" in text or "\u202e\x9b2J" in text for text in texts)


def test_show_files_shows_hostile_names_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / f"x{ESC}[2J{RLO}.py").write_text("X = 1\n")
    (tmp_path / "a\nforged.py").write_text("X = 1\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, ["--isolated", "--show-files", "."], color=True)
    assert result.exit_code == 0
    assert not RAW.search(result.stdout)
    assert sorted(result.stdout.splitlines()) == ["a\\nforged.py", "x␛[2J\ufffd.py"]


def test_diff_shows_the_files_controls_visibly(hostile: Path) -> None:
    result = CliRunner().invoke(
        command, ["--isolated", "--no-cache", "--select", "RL101", "--diff", "."], color=True
    )
    assert result.exit_code == 1, result.output
    assert not RAW.search(result.stdout), [m.group() for m in RAW.finditer(result.stdout)][:5]
    assert "+    return app.db.connect(), app.db.connect()" in result.stdout
    assert "␛[2J␛[1;1H␇all clear␌\ufffdtxt.exe" in result.stdout
    assert (hostile / "app" / "views.py").read_text().count(ESC) == 2  # nothing written


def test_diff_of_a_cr_only_file_cannot_overwrite_its_own_lines(tmp_path: Path) -> None:
    from reloadlint.output.sanitize import diff_line

    assert diff_line("+x = 1\r") == "+x = 1\u240d\n"
    assert diff_line("-x = 1\r\n") == "-x = 1\r\n"
    assert diff_line(" a\rb\n") == " a␍b\n"


def test_plan_text_and_json_keep_hostile_module_names_on_their_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name holding a newline made the plan print a forged line."""
    from gitrepo import git, isolate_git

    isolate_git(tmp_path, monkeypatch)
    root = tmp_path / "repo"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    forged = f"x\n  2. ~ os  reload  changed{ESC}[2J{RLO}\u0085"
    (root / "app" / f"{forged}.py").write_text("X = 1\n")
    monkeypatch.chdir(root)
    for fmt in ("full", "json"):
        result = CliRunner().invoke(
            command,
            ["--isolated", "--no-cache", "--plan", "--base", "HEAD", "--output-format", fmt, "."],
            color=True,
        )
        assert result.exit_code in (0, 1), result.output
        assert not RAW.search(result.stdout), [m.group() for m in RAW.finditer(result.stdout)][:5]
        assert not any(line.startswith("  2. ~ os") for line in result.stdout.splitlines())
        if fmt == "json":
            document = json.loads(result.stdout)
            names = [m["module"] for g in document["groups"] for m in g["modules"]]
            assert forged in names  # escaped, not lost
