"""The documentation site: built offline in strict mode, with a page for every
rule at the URL that findings point at.

Sphinx runs in a subprocess in which opening a network connection raises, so
a build that needed the network (a theme font, intersphinx, a CDN) fails here
rather than on a machine without one. ``-W -n --keep-going``: every warning
(a broken link between pages, a missing anchor, a page in no table of
contents, a docstring autodoc cannot render, an unresolved reference) fails
the build, and all of them are listed at once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reloadlint import docsite
from reloadlint.cli import command
from reloadlint.rules.registry import all_rules

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"

pytest.importorskip("sphinx", reason="the docs extra is not installed (pip install -e '.[dev]')")

#: Runs sphinx-build with every socket connection refused.
OFFLINE_BUILD = """
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("the documentation build must not use the network")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            OFFLINE_BUILD,
            "-W",
            "-n",
            "--keep-going",
            "-E",
            "-q",
            "-b",
            "html",
            "-d",
            str(out / ".doctrees"),
            str(DOCS),
            str(out / "html"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    hint = (
        "\n(a new page in docs/ goes into a toctree of docs/index.md; generated pages: "
        "python scripts/render_docs.py)"
    )
    assert done.returncode == 0, done.stdout + done.stderr + hint
    return out / "html"


@pytest.mark.slow
def test_every_rule_url_names_a_page_of_the_site(site: Path) -> None:
    for rule in all_rules():
        url = docsite.rule_url(rule.code)
        assert url.startswith(docsite.DOCS_URL)
        built = site / url.removeprefix(docsite.DOCS_URL)
        assert built.is_file(), url
        text = built.read_text(encoding="utf-8")
        assert f"{rule.code} {rule.name}" in text
        for section in (
            "What it does",
            "Why is this bad?",
            "Known problems",
            "Example",
            "Use instead",
            "Fix safety",
            "Options",
            "References",
        ):
            assert f">{section}<" in text, (rule.code, section)


@pytest.mark.slow
def test_site_has_the_guide_the_reference_and_the_how_to(site: Path) -> None:
    for page in (
        "index.html",
        "install.html",
        "model.html",
        "guide/state.html",
        "guide/versioning.html",
        "guide/restart.html",
        "howto/shipping.html",
        "configuration.html",
        "api/runtime.html",
        "rules/index.html",
        "upgrade.html",
    ):
        assert (site / page).is_file(), page
    api = (site / "api/runtime.html").read_text(encoding="utf-8")
    for name in (
        "apply_plan",
        "record_loaded",
        "upgrade",
        "PlanRefused",
        "UpgradeError",
        "UpgradeReport",
    ):
        assert f'id="reloadlint.runtime.{name}"' in api, name
    configuration = (site / "configuration.html").read_text(encoding="utf-8")
    assert 'id="not-reloadable"' in configuration


@pytest.mark.slow
def test_site_loads_nothing_from_elsewhere(site: Path) -> None:
    """Fonts, scripts and styles are the site's own: it works offline and tracks no one."""
    remote = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
    for page in site.rglob("*.html"):
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page.read_text("utf-8")):
            if 'rel="canonical"' not in tag:  # names the published page; loads nothing
                assert not remote.search(tag), (page, tag)
    for css in site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(['\"]?(?:https?:)?//", css.read_text("utf-8"))


def test_findings_point_at_their_rule_page(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "app/db.py").write_text("def connect():\n    return 1\n")
    (tmp_path / "app/views.py").write_text("from app.db import connect\n")
    for fmt in ("json", "gitlab", "sarif"):
        result = CliRunner().invoke(command, ["--no-cache", "--output-format", fmt, str(tmp_path)])
        assert result.exit_code == 1, result.output
        document = json.loads(result.stdout)
        if fmt == "sarif":
            rules = document["runs"][0]["tool"]["driver"]["rules"]
            assert {r["id"]: r["helpUri"] for r in rules} == {
                r.code: docsite.rule_url(r.code) for r in all_rules()
            }
        else:
            assert [d["url"] for d in document] == [docsite.rule_url("RL101")]


def test_documentation_url_of_the_package_is_the_site() -> None:
    from reloadlint.config import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Documentation"] == docsite.DOCS_URL
