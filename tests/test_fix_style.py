"""Fixes keep the team's style: relative imports stay relative, a new import goes
where an import sorter puts it, no line grows past the configured length, and
nothing else in the file changes.

The style checks are ruff's own: the project's ruff configuration (import
sorting, ``I``; line length, ``E501``) reports nothing after ``--fix`` where
it reported nothing before. Whole real projects are checked by
``scripts/fix_style.py`` (docs/hardening.md).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_tree

from reloadlint.cli import command
from reloadlint.confine import ProjectRoots
from reloadlint.fixes import style

DB = "def connect():\n    pass\n\n\ndef close():\n    pass\n"
RUFF_SORTED = '[tool.ruff]\nline-length = {length}\n\n[tool.ruff.lint]\nselect = ["I", "E501"]\n'


def ruff() -> str:
    found = Path(sys.executable).parent / "ruff"
    if found.exists():
        return str(found)
    which = shutil.which("ruff")
    if which is None:
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    return which


def ruff_findings(root: Path) -> list[str]:
    """What the project's own ruff configuration reports (``file:line: code`` each)."""
    completed = subprocess.run(
        [ruff(), "check", "--no-cache", "--no-fix", "--output-format", "concise", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in completed.stdout.splitlines() if ".py:" in line]


def fix(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(command, ["--fix", *args, "app"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def project(tmp_path: Path, views: str, *, length: int = 88, **more: str) -> Path:
    """A project whose ruff configuration checks import sorting and line length."""
    root = tmp_path / "proj"
    files = {
        "pyproject.toml": RUFF_SORTED.format(length=length),
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/models.py": "class Model:\n    pass\n",
        "app/views.py": views,
        **more,
    }
    write_tree(root, files)
    return root


def test_a_relative_import_stays_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, "from .db import connect\n\n\ndef go():\n    return connect()\n")
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "from . import db\n\n\ndef go():\n    return db.connect()\n"
    )
    assert ruff_findings(root) == []


def test_the_module_joins_an_existing_relative_import_in_its_sorted_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = (
        "from . import models\n"
        "from .db import close, connect\n\n\n"
        "def go():\n    connect()\n    close()\n    return models.Model()\n"
    )
    root = project(tmp_path, views)
    assert ruff_findings(root) == []
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "from . import db, models\n\n\n"
        "def go():\n    db.connect()\n    db.close()\n    return models.Model()\n"
    )
    assert ruff_findings(root) == []


def test_new_imports_of_one_package_are_one_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``from . import db`` and ``from . import models``: one statement, as a sorter
    combines them (httpx's ``_api.py`` had ``from ._client import Client`` and
    ``from ._config import DEFAULT``)."""
    views = (
        "import os\n\n"
        "from .db import connect\n"
        "from .models import Model\n\n\n"
        "def go():\n    return connect(os.sep, Model)\n"
    )
    root = project(tmp_path, views)
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "import os\n\n"
        "from . import db, models\n\n\n"
        "def go():\n    return db.connect(os.sep, models.Model)\n"
    )
    assert ruff_findings(root) == []


def test_a_new_import_goes_where_the_sorter_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = (
        "import os\n\n"
        "from app import models\n"
        "from app.db import connect\n\n\n"
        "def go():\n    return connect(os.sep, models)\n"
    )
    root = project(tmp_path, views)
    assert ruff_findings(root) == []
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "import os\n\n"
        "import app.db\n"
        "from app import models\n\n\n"
        "def go():\n    return app.db.connect(os.sep, models)\n"
    )
    assert ruff_findings(root) == []


def test_force_single_line_gives_each_name_its_own_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pallets' projects sort with ``force-single-line``: no name joins another
    import, and two new ones stay two statements, each in its sorted place."""
    config = (
        RUFF_SORTED.format(length=88)
        + "\n[tool.ruff.lint.isort]\nforce-single-line = true\norder-by-type = false\n"
    )
    views = (
        "from . import models\n"
        "from .db import close\n"
        "from .db import connect\n"
        "from .models import Model\n\n\n"
        "def go():\n    connect()\n    close()\n    return models, Model\n"
    )
    root = project(tmp_path, views, **{"pyproject.toml": config})
    assert ruff_findings(root) == []
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "from . import db\n"
        "from . import models\n\n\n"
        "def go():\n    db.connect()\n    db.close()\n    return models, models.Model\n"
    )
    assert ruff_findings(root) == []


def test_imports_in_a_block_are_sorted_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import in a block (here a ``try:``) gets its replacement in that block,
    sorted there. (Imports under ``if __name__ == "__main__":`` are not reported
    at all: a module imported never runs them.)"""
    views = (
        "import os\n\n"
        "try:\n"
        "    import app.models\n"
        "    from app.db import connect\n"
        "except ImportError:\n"
        "    pass\n\n\n"
        "def go():\n"
        "    connect(os.sep, app.models)\n"
    )
    root = project(tmp_path, views)
    assert ruff_findings(root) == []
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "import os\n\n"
        "try:\n"
        "    import app.db\n"
        "    import app.models\n"
        "except ImportError:\n"
        "    pass\n\n\n"
        "def go():\n"
        "    app.db.connect(os.sep, app.models)\n"
    )
    assert ruff_findings(root) == []


def test_a_name_of_the_package_itself_keeps_its_relative_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``from . import get_console`` (rich): the only qualified form would be the
    absolute ``import rich``; the finding stays, unfixed."""
    views = "from . import helper\n\nhelper()\n"
    root = project(tmp_path, views, **{"app/__init__.py": "def helper():\n    pass\n"})
    output = fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == views
    assert "`helper` is bound by value" in output


def test_an_unsorted_section_gets_the_import_where_the_old_one_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section the default sorter order does not describe (another sorter
    configuration) is not re-sorted: the new import takes the old one's place."""
    views = (
        "from app.db import connect\nfrom app import models\n\n\ndef go():\n    connect(models)\n"
    )
    root = project(tmp_path, views)
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "import app.db\nfrom app import models\n\n\ndef go():\n    app.db.connect(models)\n"
    )


def test_blank_lines_and_comments_do_not_end_an_import_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sorter sorts the whole block (Django's ``migrations/writer.py``): the new
    import goes above the ``from`` imports of its package, and a comment on top
    of a deleted import stays on top of its replacement."""
    views = (
        "import os\n\n"
        "from app import models\n\n"
        "# the database\n"
        "from app.db import connect\n\n\n"
        "def go():\n    connect(os, models)\n"
    )
    root = project(tmp_path, views)
    assert ruff_findings(root) == []
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "import os\n\n"
        "import app.db\n"
        "from app import models\n\n"
        "# the database\n\n\n"
        "def go():\n    app.db.connect(os, models)\n"
    )
    relative = (
        "import os\n\n"
        "# the database\n"
        "from .db import connect\n"
        "from .models import Model\n\n\n"
        "def go():\n    connect(os, Model)\n"
    )
    (root / "app/views.py").write_text(relative)
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "import os\n\n# the database\nfrom . import db, models\n\n\n"
        "def go():\n    db.connect(os, models.Model)\n"
    )
    assert ruff_findings(root) == []


def test_an_import_the_sorters_skip_is_not_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = "from app.db import connect  # isort:skip\n\nconnect()\n"
    root = project(tmp_path, views)
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == views


def test_no_line_grows_past_the_configured_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = (
        "from app.db import close, connect\n\n\n"
        "def go(argument_one):\n"
        "    connect(argument_one, 'xxxxxxxxxx')\n"  # 40 wide: 47 with `app.db.`
        "    close()\n"
    )
    root = project(tmp_path, views, length=44)
    assert ruff_findings(root) == []
    output = fix(root, monkeypatch)
    text = (root / "app/views.py").read_text()
    assert "    connect(argument_one, 'xxxxxxxxxx')\n" in text  # not fixed: it would not fit
    assert "    app.db.close()\n" in text  # the one that fits is fixed
    assert "`connect` is bound by value" in output  # and the other still reported
    assert ruff_findings(root) == []


def test_a_pragma_comment_does_not_count_in_the_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E501 leaves out ``# type: ignore`` and the like: a line whose code fits
    is not already too long (werkzeug's ``class ...:  # type: ignore[misc]``)."""
    line = "result_value = connect('" + "x" * 14 + "')"  # 40 wide
    views = f"from app.db import connect\n\n{line}  # type: ignore[misc]\n"
    root = project(tmp_path, views, length=40)
    assert ruff_findings(root) == []
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == views  # it would grow past 40
    assert ruff_findings(root) == []


def test_a_line_already_too_long_may_grow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fix does not make a new violation of a line the team already allows
    (a ``# noqa: E501`` line, say)."""
    views = (
        "from app.db import connect\n\n\ndef go():\n    connect('" + "x" * 50 + "')  # noqa: E501\n"
    )
    root = project(tmp_path, views, length=40)
    fix(root, monkeypatch)
    assert "app.db.connect('" in (root / "app/views.py").read_text()
    assert ruff_findings(root) == []


def test_a_comment_after_a_replaced_import_goes_with_the_new_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = "from .db import connect  # our db\n\n\ndef go():\n    connect()\n"
    root = project(tmp_path, views)
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == (
        "from . import db  # our db\n\n\ndef go():\n    db.connect()\n"
    )


def test_only_the_import_and_the_uses_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Odd but valid layout elsewhere in the file stays byte for byte."""
    odd = "\n\nx = ( 1 ,2 )\ntry :\n    pass\nexcept (ValueError,TypeError) :\n    pass\n"
    root = project(tmp_path, "from app.db import connect\ndef go(): connect()" + odd)
    fix(root, monkeypatch)
    assert (root / "app/views.py").read_text() == "import app.db\ndef go(): app.db.connect()" + odd


# ---------------------------------------------------------------- the configured length


def style_of(root: Path, relative: str) -> style.Style:
    style._for_directory.cache_clear()
    return style.style_of(str(root / relative), ProjectRoots((str(root),)))


def length_of(root: Path, relative: str) -> int | None:
    return style_of(root, relative).line_length


def test_line_length_is_read_as_ruff_and_black_read_it(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    write_tree(root, {f"{name}/m.py": "" for name in "abcdefg"})
    assert length_of(root, "a/m.py") == 88  # nobody says: ruff's and black's default
    write_tree(root, {"pyproject.toml": "[tool.black]\nline-length = 100\n"})
    assert length_of(root, "a/m.py") == 100
    both = "[tool.ruff]\nline-length = 79\n[tool.black]\nline-length = 100\n"
    write_tree(root, {"pyproject.toml": both})
    assert length_of(root, "a/m.py") == 79  # ruff's own setting first
    write_tree(root, {"b/ruff.toml": "line-length = 120\n"})
    assert length_of(root, "b/m.py") == 120  # the nearest file wins
    write_tree(root, {"c/.ruff.toml": "line-length = 60\n", "c/ruff.toml": "line-length = 70\n"})
    assert length_of(root, "c/m.py") == 60  # .ruff.toml before ruff.toml
    pycodestyle = "line-length = 60\n[lint.pycodestyle]\nmax-line-length = 99\n"
    write_tree(root, {"d/ruff.toml": pycodestyle})
    assert length_of(root, "d/m.py") == 99  # what E501 checks
    write_tree(root, {"e/pyproject.toml": "[project]\nname = 'e'\n"})
    assert length_of(root, "e/m.py") == 79  # a pyproject.toml without tool settings: look up
    isort = "[tool.black]\nline-length = 99\n[tool.isort]\nforce_single_line = true\n"
    write_tree(root, {"f/pyproject.toml": isort})
    assert style_of(root, "f/m.py") == style.Style(99, force_single_line=True)
    ruff_isort = "[isort]\norder-by-type = false\n[lint.isort]\nforce-single-line = true\n"
    write_tree(root, {"g/ruff.toml": ruff_isort})
    assert style_of(root, "g/m.py") == style.Style(88, force_single_line=True)  # lint.isort wins


def test_line_length_is_never_read_above_the_project(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ruff.toml": "line-length = 20\n", "proj/app/m.py": ""})
    root = (tmp_path / "proj").resolve()
    style._for_directory.cache_clear()
    assert style.line_length(str(root / "app/m.py"), ProjectRoots((str(root),))) == 88


@pytest.mark.parametrize(
    "text", ["line-length = 'long'\n", "line-length = 0\n", "line-length = true\n", "[[[\n"]
)
def test_a_bad_line_length_is_the_default(tmp_path: Path, text: str) -> None:
    write_tree(tmp_path, {"ruff.toml": text, "m.py": ""})
    assert length_of(tmp_path.resolve(), "m.py") == 88
