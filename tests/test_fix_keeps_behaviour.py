"""``--fix`` keeps what the code does, shown by running the code before and after.

Each case is the minimal shape of a break ``--fix`` caused on a whole real
package (``scripts/fix_safety.py``, docs/hardening.md): a base class rewritten
to the module-qualified form inside the package's own import cycle (the
package could no longer be imported), a name deleted that a list of names
exports (a template engine's compiled code imports the names listed), a
by-value import removed that a test patches (the patch no longer reached the
code). The fix must not be offered there; it still is where it is safe.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_tree

from reloadlint.cli import command
from reloadlint.fixes import stale_import

UTIL = "def now():\n    return 0\n\n\ndef escape(text):\n    return text\n"


def fix(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(command, ["--fix", "--no-cache", "."])
    assert result.exit_code in (0, 1), result.output
    return result.output


def python(root: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with the project importable."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )


def test_a_base_class_in_an_import_cycle_is_not_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``class Model(Base)`` runs while ``pkg.base`` is still being imported
    (it imports ``pkg.models`` after defining ``Base``): ``pkg.base.Base``
    would fail there (``pkg`` has no ``base`` yet), ``Base`` works."""
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": "class Base:\n    pass\n\n\nfrom pkg.models import Model  # noqa: E402\n",
        "pkg/models.py": (
            "from pkg.base import Base\n\n\nclass Model(Base):\n    pass\n\n\n"
            "def make():\n    return Base()\n"
        ),
    }
    write_tree(tmp_path, files)
    assert python(tmp_path, "import pkg.base").returncode == 0
    fix(tmp_path, monkeypatch)
    assert (tmp_path / "pkg/models.py").read_text() == files["pkg/models.py"]
    done = python(tmp_path, "import pkg.base")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "use",
    [
        "class C(now):\n    pass\n",  # a base class
        "@now\ndef f():\n    pass\n",  # a decorator
        "def f(x=now):\n    return x\n",  # a default argument
        "X = now()\n",  # a module-level call
        "class C:\n    x = now()\n",  # a class body statement
        "X = [now() for _ in range(2)]\n",  # a comprehension run at import time
        "def f(x: now) -> None:\n    pass\n",  # an annotation, evaluated at def time
        "def setup():\n    return now()\n\n\nX = setup()\n",  # a function called at import
        "def deco(f):\n    now()\n    return f\n\n\n@deco\ndef g():\n    pass\n",
    ],
)
def test_no_fix_where_a_use_runs_at_import_time(use: str) -> None:
    source = f"from app.util import now\n\n\n{use}\n\ndef later():\n    return now()\n"
    assert stale_import.rewrite(source, 1, "app.util.now", is_package=False) is None


@pytest.mark.parametrize(
    "use",
    [
        "def f():\n    return now()\n",
        "g = lambda: now()\n",
        'if __name__ == "__main__":\n    now()\n',  # a script's main block: not on import
        "class C:\n    def m(self):\n        return now()\n",
        "def f(x: now) -> None:\n    pass\n",  # under from __future__ import annotations
        "def setup():\n    return now()\n\n\nX = setup\n",  # referenced, not called
    ],
)
def test_the_fix_is_still_offered_where_uses_run_later(use: str) -> None:
    source = f"from __future__ import annotations\n\nfrom app.util import now\n\n\n{use}"
    fixed = stale_import.rewrite(source, 3, "app.util.now", is_package=False)
    assert fixed is not None and "app.util.now" in fixed


def test_a_name_a_list_of_names_exports_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiler imports every name ``exported`` lists from the runtime module."""
    files = {
        "app/__init__.py": "",
        "app/util.py": UTIL,
        "app/runtime.py": (
            "from app.util import escape\n\n"
            'exported = ["escape"]\n\n\n'
            "def render(text):\n    return escape(text)\n"
        ),
        "app/compiler.py": (
            "from app import runtime\n\n\n"
            "def namespace():\n"
            "    found = {}\n"
            "    exec(f\"from app.runtime import {', '.join(runtime.exported)}\", found)\n"
            "    return found\n"
        ),
    }
    write_tree(tmp_path, files)
    check = "import app.compiler; assert 'escape' in app.compiler.namespace()"
    assert python(tmp_path, check).returncode == 0
    fix(tmp_path, monkeypatch)
    assert (tmp_path / "app/runtime.py").read_text() == files["app/runtime.py"]
    done = python(tmp_path, check)
    assert done.returncode == 0, done.stderr


PATCHES = {
    "assignment": "import app.runner\n\n\ndef test():\n    app.runner.now = lambda: 1\n",
    "setattr": ("from app import runner\n\n\ndef test():\n    setattr(runner, 'now', lambda: 1)\n"),
    "a dotted string": (
        "from unittest import mock\n\n\ndef test():\n"
        "    mock.patch('app.runner.now', lambda: 1).start()\n"
    ),
}


@pytest.mark.parametrize("patch", PATCHES.values(), ids=PATCHES.keys())
def test_a_name_another_module_patches_stays(
    patch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test patches ``app.runner.now``: after the fix, ``stamp`` would call
    ``app.util.now`` and never see the patch."""
    files = {
        "app/__init__.py": "",
        "app/util.py": UTIL,
        "app/runner.py": "from app.util import now\n\n\ndef stamp():\n    return now()\n",
        "tests/__init__.py": "",
        "tests/test_runner.py": patch,
    }
    write_tree(tmp_path, files)
    check = "import tests.test_runner as t, app.runner as r; t.test(); assert r.stamp() == 1"
    assert python(tmp_path, check).returncode == 0
    fix(tmp_path, monkeypatch)
    assert (tmp_path / "app/runner.py").read_text() == files["app/runner.py"]
    done = python(tmp_path, check)
    assert done.returncode == 0, done.stderr


IMPORTERS = {
    "from-import": "from app.runner import now\n\n\ndef f():\n    return now()\n",
    "star import": "from app.runner import *\n\n\ndef f():\n    return now()\n",
    "attribute read": "import app.runner\n\n\ndef f():\n    return app.runner.now()\n",
}


@pytest.mark.parametrize("importer", IMPORTERS.values(), ids=IMPORTERS.keys())
def test_a_name_another_module_imports_from_here_stays(
    importer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "app/__init__.py": "",
        "app/util.py": UTIL,
        "app/runner.py": "from app.util import now\n\n\ndef stamp():\n    return now()\n",
        "app/other.py": importer,
    }
    write_tree(tmp_path, files)
    fix(tmp_path, monkeypatch)
    assert (tmp_path / "app/runner.py").read_text() == files["app/runner.py"]
    done = python(tmp_path, "import app.other; app.other.f()")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("comment", ["# noqa: F401", "# noqa", "# noqa: E501,F401"])
def test_an_import_marked_as_kept_for_importers_stays(comment: str) -> None:
    source = f"from app.util import now  {comment}\n\n\ndef f():\n    return now()\n"
    assert stale_import.rewrite(source, 1, "app.util.now", is_package=False) is None


def test_other_names_are_still_fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the kept name stays: the other import of the same module is fixed."""
    files = {
        "app/__init__.py": "",
        "app/util.py": UTIL,
        "app/runner.py": (
            "from app.util import escape, now\n\n\ndef stamp():\n    return now(), escape('x')\n"
        ),
        "app/other.py": "from app.runner import now\n",
    }
    write_tree(tmp_path, files)
    fix(tmp_path, monkeypatch)
    assert (tmp_path / "app/runner.py").read_text() == (
        "import app.util\nfrom app.util import now\n\n\n"
        "def stamp():\n    return now(), app.util.escape('x')\n"
    )


def test_a_name_imported_through_another_module_keeps_that_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``from app.api import now`` of ``app.db.now``: ``import app.db`` would
    no longer import ``app.api``, whose import makes ``now`` work."""
    files = {
        "app/__init__.py": "",
        "app/db.py": "ready = []\n\n\ndef now():\n    assert ready\n    return 0\n",
        "app/api.py": "from app.db import now, ready\n\nready.append(1)\n",
        "app/views.py": "from app.api import now\n\n\ndef f():\n    return now()\n",
    }
    write_tree(tmp_path, files)
    check = "import app.views; app.views.f()"
    assert python(tmp_path, check).returncode == 0
    output = fix(tmp_path, monkeypatch)
    assert "use `app.db.now` instead" in output
    assert (tmp_path / "app/views.py").read_text() == files["app/views.py"]
    done = python(tmp_path, check)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("tests.conftest", "now"),  # a conftest's names are pytest's: fixtures, hooks
        ("tests.test_views", "test_shared"),  # collected in this module too
        ("tests.views_test", "TestShared"),
        ("app.plugin", "pytest_configure"),  # a hook, found by name
    ],
)
def test_names_pytest_reads_from_the_module_stay(module: str, name: str) -> None:
    source = f"from app.util import {name}\n\n\ndef f():\n    return {name}()\n"
    assert (
        stale_import.rewrite(source, 1, f"app.util.{name}", is_package=False, module=module) is None
    )
    if not name.startswith("pytest_"):  # the same name elsewhere is fixed
        fixed = stale_import.rewrite(
            source, 1, f"app.util.{name}", is_package=False, module="app.x"
        )
        assert fixed is not None


def test_the_real_package_script_reads_its_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``scripts/fix_safety.py`` runs for tens of minutes (docs/hardening.md): only
    its argument parsing is checked here."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "fix_safety.py"
    spec = importlib.util.spec_from_file_location("fix_safety", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fix_safety", script)  # its dataclasses look it up
    spec.loader.exec_module(script)
    args = script.parse_args(["--workdir", str(tmp_path), "jinja2-3.1.5.tar.gz"])
    assert args.venv == tmp_path / "venvs" and args.sdists == [Path("jinja2-3.1.5.tar.gz")]
    assert script.parse_sdist(Path("Markdown-3.8.tar.gz")) == ("markdown", "3.8")
    with pytest.raises(SystemExit):
        script.parse_args(["not-an-sdist.zip"])


TYPE_CHECKING_IMPORTS = {
    "relative": ("from .. import util", "from ..util import now"),
    "absolute": ("import app.util", "from app.util import now"),
}


@pytest.mark.parametrize(
    "imports", TYPE_CHECKING_IMPORTS.values(), ids=TYPE_CHECKING_IMPORTS.keys()
)
def test_an_import_only_type_checkers_run_is_not_relied_on(
    imports: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """markdown's smarty: ``if TYPE_CHECKING: from .. import inlinepatterns`` is not
    there at run time; the fix took it for the import it needed and added none."""
    checking, by_value = imports
    files = {
        "app/__init__.py": "",
        "app/util.py": UTIL,
        "app/ext/__init__.py": "",
        "app/ext/views.py": (
            f"from typing import TYPE_CHECKING\n\n{by_value}\n\n"
            f"if TYPE_CHECKING:\n    {checking}\n\n\n"
            "def f():\n    return now()\n"
        ),
    }
    write_tree(tmp_path, files)
    fix(tmp_path, monkeypatch)
    done = python(tmp_path, "import app.ext.views as v; v.f()")
    assert done.returncode == 0, done.stderr
