"""Unit tests of the engine: naming, resolution, suppression, configuration and the CLI contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import codes, located, write_tree

from reloadlint.cli import command
from reloadlint.naming import Namer
from reloadlint.project import ProjectModel
from reloadlint.summary import summarize_bytes

DB = "def connect():\n    pass\n\nTIMEOUT = 5\n"


# ------------------------------------------------------------------ naming
def test_flat_layout_names_modules_from_the_first_non_package_directory(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"app/__init__.py": "", "app/sub/__init__.py": "", "app/sub/mod.py": "", "script.py": ""},
    )
    namer = Namer()
    assert namer.name(tmp_path / "app/sub/mod.py").name == "app.sub.mod"
    assert namer.name(tmp_path / "app/sub/__init__.py").name == "app.sub"
    assert namer.name(tmp_path / "app/sub/__init__.py").is_package
    assert namer.name(tmp_path / "script.py").name == "script"


def test_src_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/app/__init__.py": "", "src/app/db.py": ""})
    assert Namer().name(tmp_path / "src/app/db.py").name == "app.db"


def test_configured_src_root_and_namespace_packages(tmp_path: Path) -> None:
    write_tree(tmp_path, {"lib/ns/plugin/__init__.py": "", "lib/ns/plugin/core.py": ""})
    namer = Namer(src=(tmp_path / "lib",), namespace_packages=(tmp_path / "lib/ns",))
    assert namer.name(tmp_path / "lib/ns/plugin/core.py").name == "ns.plugin.core"


def test_relative_imports_resolve_against_the_package() -> None:
    source = b"from . import db\nfrom .db import connect\nfrom ..other import x\n"
    summary, _ = summarize_bytes(source, "app/sub/views.py", "app.sub.views", False)
    assert [f.target for f in summary.imports] == [
        "app.sub.db",
        "app.sub.db.connect",
        "app.other.x",
    ]
    package, _ = summarize_bytes(b"from .db import connect\n", "app/__init__.py", "app", True)
    assert package.imports[0].target == "app.db.connect"


# ------------------------------------------------------------------ project model
def _project(files: dict[str, str]) -> ProjectModel:
    summaries = []
    for path, text in files.items():
        name = path[:-3].replace("/", ".").removesuffix(".__init__")
        summary, _ = summarize_bytes(text.encode(), path, name, path.endswith("__init__.py"))
        summaries.append(summary)
    return ProjectModel(summaries)


def test_resolution_follows_first_party_reexports_and_star_imports() -> None:
    project = _project(
        {
            "app/__init__.py": "from app.db import connect\nfrom app.consts import *\n",
            "app/db.py": DB,
            "app/consts.py": "LIMIT = 3\n",
        }
    )
    assert project.resolve("app.connect").kind == "function"
    assert project.resolve("app.connect").module == "app.db"
    assert project.resolve("app.LIMIT").kind == "value"
    assert project.resolve("app.db").kind == "module"
    assert project.resolve("app.nothing").kind == "missing"
    assert project.resolve("os.path.join").kind == "external"


def test_reloadable_globs() -> None:
    project = ProjectModel(
        _project({"app/__init__.py": "", "app/consts.py": ""}).modules.values(),
        not_reloadable=("app.consts",),
    )
    assert project.is_reloadable("app")
    assert not project.is_reloadable("app.consts")
    assert not project.is_reloadable("json")


# ------------------------------------------------------------------ rules' exclusions (RL101)
def test_reexport_through_package_is_followed() -> None:
    files = {
        "app/__init__.py": "from app.db import connect\n",
        "app/db.py": DB,
        "app/views.py": "from app import connect\nconnect()\n",
    }
    assert located(files, select=("RL101",)) == [
        ("app/__init__.py", 1, "RL101"),
        ("app/views.py", 1, "RL101"),
    ]


@pytest.mark.parametrize(
    "views",
    [
        "import app.db as db\ndb.connect()\n",
        "from app import db\ndb.connect()\n",
        "from os.path import join\njoin('a')\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.db import connect\n",
        "from app.db import connect\ndef f(c: connect) -> connect: ...\n",
        "def f():\n    from app.db import connect\n    return connect()\n",
    ],
)
def test_rl101_exclusions(views: str) -> None:
    files = {"app/__init__.py": "", "app/db.py": DB, "app/views.py": views}
    assert codes(files, select=("RL1",)) == []


def test_linting_one_file_judges_it_against_the_whole_project() -> None:
    files = {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/views.py": "from app.db import connect\nconnect()\n",
    }
    assert located(files, targets=("app/views.py",)) == [("app/views.py", 1, "RL101")]


def test_not_reloadable_modules_are_not_reported() -> None:
    files = {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/views.py": "from app.db import connect\nconnect()\n",
    }
    assert codes(files, not_reloadable=("app.db",)) == []


# ------------------------------------------------------------------ suppression
def test_noqa_forms() -> None:
    base = {"app/__init__.py": "", "app/db.py": DB}
    assert codes({**base, "app/v.py": "from app.db import connect  # noqa\nconnect()\n"}) == []
    assert (
        codes({**base, "app/v.py": "from app.db import connect  # noqa: RL101\nconnect()\n"}) == []
    )
    assert (
        codes({**base, "app/v.py": "from app.db import connect  # noqa:RL102,RL101\nconnect()\n"})
        == []
    )
    assert codes(
        {**base, "app/v.py": "from app.db import connect  # noqa: RL102\nconnect()\n"}
    ) == ["RL101"]
    assert (
        codes({**base, "app/v.py": "# reloadlint: noqa\nfrom app.db import connect\nconnect()\n"})
        == []
    )


def test_per_file_ignores() -> None:
    files = {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/v.py": "from app.db import connect\nconnect()\n",
    }
    assert codes(files, per_file_ignores={"app/v.py": ("RL1",)}) == []
    assert codes(files, per_file_ignores={"other.py": ("RL1",)}) == ["RL101"]


def test_bad_files_are_diagnostics_and_the_rest_is_still_checked() -> None:
    files = {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/broken.py": "def (:\n",
        "app/v.py": "from app.db import connect\nconnect()\n",
    }
    assert located(files) == [("app/broken.py", 1, "RL901"), ("app/v.py", 1, "RL101")]


# ------------------------------------------------------------------ CLI contract
@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": DB,
            # Called in a function: a call at import time would get no fix (the rewrite
            # would not cure it, see RL101's Fix safety).
            "app/views.py": "from app.db import connect\n\n\ndef page():\n    return connect()\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(command, list(args))


def test_exit_codes(project: Path) -> None:
    assert invoke("app").exit_code == 1
    assert invoke("app", "--exit-zero").exit_code == 0
    assert invoke("app/db.py").exit_code == 0
    assert invoke("nosuch").exit_code == 2
    assert invoke("--select", "RL999", "app").exit_code == 2


def test_json_shape(project: Path) -> None:
    result = invoke("app", "--output-format", "json")
    [finding] = json.loads(result.stdout)
    assert set(finding) == {
        "code",
        "name",
        "message",
        "filename",
        "location",
        "end_location",
        "fix",
        "url",
        "noqa_row",
    }
    assert finding["code"] == "RL101"
    assert finding["name"] == "stale-function-import"
    assert finding["location"] == {"row": 1, "column": 20}
    assert finding["end_location"] == {"row": 1, "column": 27}
    assert finding["filename"] == os.path.join(str(project), "app", "views.py")
    assert finding["fix"]["applicability"] == "safe"
    assert "`app.db.connect`" in finding["message"]


def test_full_output_and_summary(project: Path) -> None:
    result = invoke("app")
    assert "app/views.py:1:20: RL101 [*]" in result.stdout
    assert "^^^^^^^" in result.stdout
    # the summary line follows the findings on stdout, after a blank line (ruff's layout)
    assert "^^^^^^^\n\nFound 1 problem in 1 file." in result.stdout
    assert "Found" not in result.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "[tool.reloadlint]\nselct = ['RL1']\n",
            "`tool.reloadlint.selct` is not a reloadlint setting",
        ),
        (
            "[tool.reloadlint]\nselect = 'RL1'\n",
            "`tool.reloadlint.select` must be a list of strings",
        ),
        ("[tool.reloadlint\n", "invalid TOML"),
        ("[tool.reloadlint]\noutput-format = 'xml'\n", "must be one of"),
        ("[tool.reloadlint]\nselect = ['RL7']\n", "unknown rule selector `RL7`"),
    ],
)
def test_config_errors_name_the_key_and_file(project: Path, config: str, message: str) -> None:
    (project / "pyproject.toml").write_text(config)
    result = invoke("app")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_config_is_applied(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.reloadlint]\nignore = ['stale-function-import']\n"
    )
    assert invoke("app").exit_code == 0
    assert invoke("app", "--isolated").exit_code == 1


def test_missing_config_file(project: Path) -> None:
    result = invoke("--config", "nope.toml", "app")
    assert result.exit_code == 2
    assert "nope.toml" in result.stderr


def test_explain_and_list_rules(project: Path) -> None:
    explained = invoke("--explain", "RL101")
    assert explained.exit_code == 0
    assert "## Why is this bad?" in explained.stdout
    assert invoke("--explain", "stale-value-import").exit_code == 0
    assert invoke("--explain", "RL000").exit_code == 2
    listed = json.loads(invoke("--list-rules", "--output-format", "json").stdout)
    rl105 = next(r for r in listed if r["code"] == "RL105")
    assert rl105["default"] is False


def test_every_rule_documents_the_required_sections() -> None:
    from reloadlint.rules.base import REQUIRED_DOC_SECTIONS
    from reloadlint.rules.registry import all_rules

    for rule in all_rules():
        missing = [s for s in REQUIRED_DOC_SECTIONS if s not in rule.doc()]
        assert not missing, f"{rule.code} lacks {missing}"
        assert rule.name == rule.name.lower() and " " not in rule.name


def test_fix_rewrites_and_keeps_comments(project: Path) -> None:
    (project / "app/views.py").write_text(
        "from app.db import connect  # the db\n\n\ndef go():\n    return connect()\n"
    )
    result = invoke("app", "--fix")
    assert result.exit_code == 0, result.output
    assert (
        project / "app/views.py"
    ).read_text() == "import app.db  # the db\n\n\ndef go():\n    return app.db.connect()\n"


def test_statistics(project: Path) -> None:
    result = invoke("app", "--statistics")
    assert "RL101" in result.stdout and "1" in result.stdout


def test_star_import_of_a_reloadable_module_is_one_finding() -> None:
    base = {"app/__init__.py": "", "app/db.py": "def connect(): pass\nX = 1\n_private = 2\n"}
    assert located({**base, "app/v.py": "from app.db import *\n"}) == [("app/v.py", 1, "RL101")]
    values = {"app/__init__.py": "", "app/consts.py": "X = 1\n__all__ = ['X']\n"}
    assert located({**values, "app/v.py": "from app.consts import *\n"}) == [
        ("app/v.py", 1, "RL102")
    ]
    assert located({**base, "app/v.py": "from os.path import *\n"}) == []


def test_classes_made_by_factories_and_lambdas_are_not_values() -> None:
    base = {
        "app/__init__.py": "",
        "app/types.py": "import collections, enum\nPoint = collections.namedtuple('Point', 'x y')\n"
        "handler = lambda x: x\nColor = enum.Enum('Color', 'RED GREEN')\n"
        "def paint(pen):\n    pen.color = Color.RED\n",
    }
    views = "from app.types import Point, handler\nPoint(1, 2), handler(1)\n"
    assert located({**base, "app/views.py": views}, select=("RL1",)) == [
        ("app/types.py", 4, "RL104"),
        ("app/views.py", 1, "RL101"),
        ("app/views.py", 1, "RL101"),
    ]


def test_bound_method_of_another_modules_instance_is_captured() -> None:
    files = {
        "app/__init__.py": "",
        "app/svc.py": (
            "class Service:\n    def handle(self):\n        pass\n    limit = 3\n\n"
            "service = Service()\n"
        ),
        "app/routes.py": (
            "from app import svc\nROUTES = {'a': svc.service.handle}\nLIMIT = svc.service.limit\n"
        ),
    }
    assert located(files, select=("RL103",)) == [("app/routes.py", 2, "RL103")]


def test_directory_without_init_inside_a_package_is_a_namespace_subpackage(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/sansio/core.py": "", "tests/test_x.py": ""})
    assert Namer().name(tmp_path / "app/sansio/core.py").name == "app.sansio.core"
    assert Namer().name(tmp_path / "tests/test_x.py").name == "test_x"
