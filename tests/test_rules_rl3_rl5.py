"""One-line tests of RL301 import-time-config-read, RL302 import-time-env-read and
RL502 dangling-dotted-path, plus the summary facts RL303/RL304 build on."""

from __future__ import annotations

from helpers import codes, located, run

from reloadlint.summary import summarize_bytes
from reloadlint.summary.model import ConfigRead, Span

RL3 = {"select": ("RL301", "RL302")}
RL502 = {"select": ("RL502",)}


def pkg(**modules: str) -> dict[str, str]:
    """A package ``app`` with the given modules (``settings="..."`` -> app/settings.py)."""
    files = {"app/__init__.py": ""}
    files.update({f"app/{name}.py": text for name, text in modules.items()})
    return files


def summary(text: str, name: str = "app.mod", path: str = "app/mod.py"):
    result, error = summarize_bytes(text.encode(), path, name, False)
    assert error is None
    return result


# ------------------------------------------------------------------ RL301
def test_rl301_open_at_top_level() -> None:
    assert codes("CONF = open('conf.ini').read()\n", **RL3) == ["RL301"]


def test_rl301_json_load_of_open_is_one_read() -> None:
    assert codes("import json\nCONF = json.load(open('c.json'))\n", **RL3) == ["RL301"]


def test_rl301_with_block_and_loader_is_one_read() -> None:
    assert codes("import json\nwith open('c.json') as f:\n    CONF = json.load(f)\n", **RL3) == ["RL301"]


def test_rl301_handle_assigned_then_loaded_is_one_read() -> None:
    assert codes("import json\nf = open('c.json')\nCONF = json.load(f)\n", **RL3) == ["RL301"]


def test_rl301_path_read_text() -> None:
    assert codes("from pathlib import Path\nT = Path('a.toml').read_text()\n", **RL3) == ["RL301"]


def test_rl301_path_open() -> None:
    assert codes("from pathlib import Path\nwith Path('a.txt').open() as f:\n    T = f.read()\n", **RL3) == ["RL301"]


def test_rl301_tomllib_yaml_configparser_dotenv() -> None:
    text = (
        "import tomllib, yaml, configparser, dotenv\n"
        "with open('a.toml', 'rb') as f:\n    A = tomllib.load(f)\n"
        "B = yaml.safe_load(open('b.yaml'))\n"
        "cp = configparser.ConfigParser()\ncp.read('c.ini')\n"
        "dotenv.load_dotenv()\n"
        "E = dotenv.dotenv_values('.env')\n"
    )
    assert codes(text, **RL3) == ["RL301"] * 5


def test_rl301_class_body_default_and_decorator_are_import_time() -> None:
    text = (
        "class C:\n    X = open('a').read()\n"
        "def f(x=open('b')):\n    pass\n"
        "@deco(open('c'))\ndef g():\n    pass\n"
    )
    assert codes(text, **RL3) == ["RL301"] * 3


def test_rl301_not_in_function_bodies() -> None:
    assert codes("import json\ndef load():\n    return json.load(open('c.json'))\n", **RL3) == []


def test_rl301_not_in_lambda_or_nested_class_in_function() -> None:
    assert codes("f = lambda: open('x').read()\ndef g():\n    class C:\n        X = open('y')\n", **RL3) == []


def test_rl301_not_under_main_guard() -> None:
    assert codes("if __name__ == '__main__':\n    print(open('c.json').read())\n", **RL3) == []


def test_rl301_not_under_type_checking() -> None:
    assert codes("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    X = open('c')\n", **RL3) == []


def test_rl301_else_of_type_checking_is_import_time() -> None:
    assert codes("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nelse:\n    X = open('c')\n", **RL3) == ["RL301"]


def test_rl301_writes_are_not_reads() -> None:
    assert codes("LOG = open('out.log', 'w')\nA = open('a.log', mode='a')\nB = open('b', 'r+')\n", **RL3) == []


def test_rl301_not_in_a_module_that_is_not_reloadable() -> None:
    files = pkg(settings="CONF = open('c.ini').read()\n")
    assert codes(files, not_reloadable=("app.settings",), **RL3) == []


def test_rl301_message_names_the_literal_file_next_to_the_module() -> None:
    files = pkg(settings="from pathlib import Path\nCONF = (Path(__file__).parent / 'limits.json').read_text()\n")
    (diagnostic,) = run(files, **RL3)
    assert "app/limits.json` at import time" in diagnostic.message and "`app.settings`" in diagnostic.message


def test_rl301_message_without_literal_path() -> None:
    (diagnostic,) = run("import sys\nCONF = open(sys.argv[1]).read()\n", **RL3)
    assert "reads a file at import time" in diagnostic.message


# ------------------------------------------------------------------ RL301 facts for RL304
def test_config_paths_relative_to_module_directory() -> None:
    text = (
        "import os\nfrom pathlib import Path\n"
        "HERE = os.path.dirname(os.path.abspath(__file__))\n"
        "ROOT = Path(__file__).resolve().parent.parent\n"
        "a = open(os.path.join(HERE, 'a.json'))\n"
        "b = (ROOT / 'conf' / 'b.toml').read_text()\n"
        "c = Path(__file__).parents[1].joinpath('c.ini').read_text()\n"
        "d = open('d.cfg')\n"
        "e = open(Path.cwd() / 'e.cfg')\n"
    )
    reads = summary(text).config_reads
    assert [(r.path, r.relative_to_module) for r in reads] == [
        ("a.json", True),
        ("../conf/b.toml", True),
        ("../c.ini", True),
        ("d.cfg", False),
        ("e.cfg", False),
    ]
    assert [r.file_path("src/app/mod.py", "/repo") for r in reads] == [
        "src/app/a.json",
        "src/conf/b.toml",
        "src/c.ini",
        "/repo/d.cfg",
        "/repo/e.cfg",
    ]


def test_config_path_of_the_module_itself_is_not_literal() -> None:
    assert [r.path for r in summary("SRC = open(__file__).read()\n").config_reads] == [None]


def test_config_file_path_keeps_absolute_paths() -> None:
    read = ConfigRead(Span(1, 1, 1, 1), "`open()`", "/etc/app.conf")
    assert read.file_path("app/mod.py", "/repo") == "/etc/app.conf"


# ------------------------------------------------------------------ RL302
def test_rl302_subscript_get_getenv() -> None:
    text = "import os\nA = os.environ['A']\nB = os.environ.get('B')\nC = os.getenv('C')\n"
    assert codes(text, **RL3) == ["RL302"] * 3


def test_rl302_from_import_forms() -> None:
    assert codes("from os import environ, getenv\nA = environ['A']\nB = getenv('B')\n", **RL3) == ["RL302"] * 2


def test_rl302_copies_and_membership() -> None:
    text = "import os\nA = dict(os.environ)\nB = os.environ.copy()\nC = {**os.environ}\nD = 'D' in os.environ\n"
    assert codes(text, **RL3) == ["RL302"] * 4


def test_rl302_store_and_delete_are_writes() -> None:
    assert codes("import os\nos.environ['X'] = '1'\ndel os.environ['Y']\nos.environ.update(Z='1')\n", **RL3) == []


def test_rl302_setdefault_as_statement_is_a_write() -> None:
    assert codes("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n", **RL3) == []


def test_rl302_setdefault_whose_result_is_used_is_a_read() -> None:
    assert codes("import os\nX = os.environ.setdefault('X', '1')\n", **RL3) == ["RL302"]


def test_rl302_not_in_functions_main_guard_or_type_checking() -> None:
    text = (
        "import os\nfrom typing import TYPE_CHECKING\n"
        "def debug():\n    return os.environ.get('DEBUG')\n"
        "if __name__ == '__main__':\n    print(os.getenv('X'))\n"
        "if TYPE_CHECKING:\n    Y = os.getenv('Y')\n"
    )
    assert codes(text, **RL3) == []


def test_rl302_default_argument_and_class_body() -> None:
    assert codes("import os\ndef f(x=os.getenv('A')):\n    pass\nclass C:\n    B = os.getenv('B')\n", **RL3) == ["RL302"] * 2


def test_rl302_message_names_the_variable() -> None:
    (diagnostic,) = run("import os\nKEY = 'APP_KEY'\nSECRET = os.environ[KEY]\n", **RL3)
    assert "`APP_KEY`" in diagnostic.message and diagnostic.symbol == "APP_KEY"


def test_env_reads_record_every_read_with_its_import_time() -> None:
    text = "import os\nA = os.getenv('A')\ndef f():\n    return os.environ['B']\n"
    assert [(r.var, r.import_time) for r in summary(text).env_reads] == [("A", True), ("B", False)]


# ------------------------------------------------------------------ RL502
def test_rl502_import_module_of_missing_module() -> None:
    files = pkg(loader="import importlib\ndef load():\n    return importlib.import_module('app.handlers.old_name')\n")
    assert located(files, **RL502) == [("app/loader.py", 3, "RL502")]


def test_rl502_existing_module_and_object_resolve() -> None:
    files = pkg(
        handlers="def ping():\n    pass\n",
        loader=(
            "import importlib, pkgutil\nfrom unittest import mock\n"
            "importlib.import_module('app.handlers')\n"
            "pkgutil.resolve_name('app.handlers.ping')\n"
            "mock.patch('app.handlers.ping')\n"
            "ENTRY = 'app.handlers:ping'\n"
        ),
    )
    assert codes(files, **RL502) == []


def test_rl502_entry_string_with_missing_attribute() -> None:
    files = pkg(handlers="def ping():\n    pass\n", main="ENTRY = 'app.handlers:pong'\n")
    assert codes(files, **RL502) == ["RL502"]


def test_rl502_entry_string_with_missing_module() -> None:
    assert codes(pkg(main="ENTRY = 'app.gone:main'\n"), **RL502) == ["RL502"]


def test_rl502_entry_point_spec_form() -> None:
    assert codes(pkg(main="EPS = ['tool = app.gone:main']\n"), **RL502) == ["RL502"]


def test_rl502_resolve_name_entry_string_reported_once() -> None:
    assert codes(pkg(main="import pkgutil\npkgutil.resolve_name('app.main:nope')\n"), **RL502) == ["RL502"]


def test_rl502_mock_patch_missing_attribute() -> None:
    files = pkg(db="def connect():\n    pass\n", test_db="from unittest import mock\n@mock.patch('app.db.conect')\ndef t(m):\n    pass\n")
    assert codes(files, **RL502) == ["RL502"]


def test_rl502_mock_patch_create_true_and_builtins() -> None:
    files = pkg(db="", test_db="from unittest import mock\nmock.patch('app.db.new', create=True)\nmock.patch('app.db.open')\n")
    assert codes(files, **RL502) == []


def test_rl502_relative_import_module_with_package() -> None:
    files = {
        "app/__init__.py": "",
        "app/plugins/__init__.py": "import importlib\nA = importlib.import_module('.real', __name__)\nB = importlib.import_module('.gone', package='app.plugins')\n",
        "app/plugins/real.py": "",
    }
    assert located(files, **RL502) == [("app/plugins/__init__.py", 3, "RL502")]


def test_rl502_task_name() -> None:
    files = pkg(tasks="from celery import shared_task\n@shared_task(name='app.tasks.add')\ndef add():\n    pass\n@shared_task(name='app.tasks.old')\ndef new():\n    pass\n")
    assert located(files, **RL502) == [("app/tasks.py", 5, "RL502")]


def test_rl502_third_party_and_stdlib_strings_are_not_checked() -> None:
    assert codes(pkg(main="import importlib\nimportlib.import_module('django.gone')\nE = 'os.path:nothing'\n"), **RL502) == []


def test_rl502_docstrings_and_bare_strings_are_not_paths() -> None:
    text = '"""See app.gone:main."""\ndef f():\n    """app.gone:main"""\n    "app.gone:other"\n'
    assert codes(pkg(main=text), **RL502) == []


def test_rl502_fstring_fragments_are_not_entry_strings() -> None:
    assert codes(pkg(main="X = 1\nS = f'app.gone:main{X}'\n"), **RL502) == []


def test_rl502_dynamic_module_getattr_is_never_reported() -> None:
    files = pkg(lazy="def __getattr__(name):\n    return name\n", main="E = 'app.lazy:anything'\n")
    assert codes(files, **RL502) == []


def test_rl502_reexported_object_resolves() -> None:
    files = pkg(impl="def run():\n    pass\n", api="from app.impl import run\n", main="E = 'app.api:run'\n")
    assert codes(files, **RL502) == []


def test_rl502_bare_word_colon_name_is_not_an_entry_string() -> None:
    files = pkg(main="URL = 'app:g'\nTAG = 'app:bar'\nCOMMAND = {'command': 'app:auto.accept'}\n")
    assert codes(files, **RL502) == []


def test_rl502_entry_point_spec_with_single_segment_module() -> None:
    assert codes(pkg(main="def run():\n    pass\nEPS = ['a = app.main:run', 'b = app:gone']\n"), **RL502) == ["RL502"]


def test_rl502_package_with_an_import_finder_makes_submodules_dynamic() -> None:
    files = {
        "app/__init__.py": "__import__('app.extern.packaging.version')\n",
        "app/extern/__init__.py": "class VendorImporter:\n    def find_spec(self, fullname, path=None, target=None):\n        pass\n",
    }
    assert codes(files, **RL502) == []


def test_rl301_devices_and_memory_streams_are_not_config_files() -> None:
    text = "import io, json, os\nA = open(os.devnull, 'rb')\nB = open('/dev/tty')\nC = json.load(io.StringIO('{}'))\n"
    assert codes(text, **RL3) == []


def test_rl301_path_open_through_a_module_level_path() -> None:
    text = "import json\nfrom pathlib import Path\nF = Path(__file__).parent / 'p.json'\nwith F.open() as f:\n    P = json.load(f)\n"
    assert [(r.how, r.path) for r in summary(text).config_reads] == [("`Path.open()`", "p.json")]


def test_config_path_of_a_name_bound_twice_is_not_literal() -> None:
    text = "import os\nif os.name == 'nt':\n    P = 'a.ini'\nelse:\n    P = 'b.ini'\nC = open(P).read()\n"
    assert [r.path for r in summary(text).config_reads] == [None]
