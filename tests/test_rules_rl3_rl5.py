"""One-line tests of RL301 import-time-config-read, RL302 import-time-env-read and
RL502 dangling-dotted-path, plus the summary facts RL303/RL304 build on."""

from __future__ import annotations

import textwrap

from helpers import codes, located, run

from reloadlint.summary import summarize_bytes
from reloadlint.summary.model import ConfigRead, ModuleSummary, Span

RL3 = {"select": ("RL301", "RL302")}
RL502 = {"select": ("RL502",)}


def pkg(**modules: str) -> dict[str, str]:
    """A package ``app`` with the given modules (``settings="..."`` -> app/settings.py)."""
    files = {"app/__init__.py": ""}
    files.update({f"app/{name}.py": text for name, text in modules.items()})
    return files


def summary(text: str) -> ModuleSummary:
    result, error = summarize_bytes(textwrap.dedent(text).encode(), "app/mod.py", "app.mod", False)
    assert error is None
    return result


# ------------------------------------------------------------------ RL301
def test_rl301_open_at_top_level() -> None:
    assert codes("CONF = open('conf.ini').read()\n", **RL3) == ["RL301"]


def test_rl301_json_load_of_open_is_one_read() -> None:
    assert codes("import json\nCONF = json.load(open('c.json'))\n", **RL3) == ["RL301"]


def test_rl301_with_block_and_loader_is_one_read() -> None:
    text = "import json\nwith open('c.json') as f:\n    CONF = json.load(f)\n"
    assert codes(text, **RL3) == ["RL301"]


def test_rl301_handle_assigned_then_loaded_is_one_read() -> None:
    assert codes("import json\nf = open('c.json')\nCONF = json.load(f)\n", **RL3) == ["RL301"]


def test_rl301_path_read_text() -> None:
    assert codes("from pathlib import Path\nT = Path('a.toml').read_text()\n", **RL3) == ["RL301"]


def test_rl301_path_open() -> None:
    text = "from pathlib import Path\nwith Path('a.txt').open() as f:\n    T = f.read()\n"
    assert codes(text, **RL3) == ["RL301"]


def test_rl301_tomllib_yaml_configparser_dotenv() -> None:
    text = """\
        import configparser, dotenv, tomllib, yaml
        with open('a.toml', 'rb') as f:
            A = tomllib.load(f)
        B = yaml.safe_load(open('b.yaml'))
        cp = configparser.ConfigParser()
        cp.read('c.ini')
        dotenv.load_dotenv()
        E = dotenv.dotenv_values('.env')
        """
    assert codes(text, **RL3) == ["RL301"] * 5


def test_rl301_class_body_default_and_decorator_are_import_time() -> None:
    text = """\
        class C:
            X = open('a').read()
        def f(x=open('b')):
            pass
        @deco(open('c'))
        def g():
            pass
        """
    assert codes(text, **RL3) == ["RL301"] * 3


def test_rl301_not_in_function_bodies() -> None:
    text = "import json\ndef load():\n    return json.load(open('c.json'))\n"
    assert codes(text, **RL3) == []


def test_rl301_not_in_lambda_or_class_inside_function() -> None:
    text = "f = lambda: open('x').read()\ndef g():\n    class C:\n        X = open('y')\n"
    assert codes(text, **RL3) == []


def test_rl301_not_under_main_guard() -> None:
    assert codes("if __name__ == '__main__':\n    print(open('c.json').read())\n", **RL3) == []


def test_rl301_not_under_type_checking() -> None:
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    X = open('c')\n"
    assert codes(text, **RL3) == []


def test_rl301_else_of_type_checking_is_import_time() -> None:
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\n"
    text += "else:\n    X = open('c')\n"
    assert codes(text, **RL3) == ["RL301"]


def test_rl301_writes_are_not_reads() -> None:
    text = "LOG = open('out.log', 'w')\nA = open('a.log', mode='a')\nB = open('b', 'r+')\n"
    assert codes(text, **RL3) == []


def test_rl301_devices_and_memory_streams_are_not_config_files() -> None:
    text = "import io, json, os\nA = open(os.devnull, 'rb')\nB = open('/dev/tty')\n"
    text += "C = json.load(io.StringIO('{}'))\n"
    assert codes(text, **RL3) == []


def test_rl301_not_in_a_module_that_is_not_reloadable() -> None:
    files = pkg(settings="CONF = open('c.ini').read()\n")
    assert codes(files, not_reloadable=("app.settings",), **RL3) == []


def test_rl301_message_names_the_literal_file_next_to_the_module() -> None:
    text = "from pathlib import Path\nC = (Path(__file__).parent / 'limits.json').read_text()\n"
    (diagnostic,) = run(pkg(settings=text), **RL3)
    assert "app/limits.json` at import time" in diagnostic.message
    assert "`app.settings`" in diagnostic.message


def test_rl301_message_without_literal_path() -> None:
    (diagnostic,) = run("import sys\nCONF = open(sys.argv[1]).read()\n", **RL3)
    assert "reads a file at import time" in diagnostic.message


# ------------------------------------------------------------------ RL301 facts for RL304
def test_config_paths_relative_to_module_directory() -> None:
    reads = summary("""\
        import os
        from pathlib import Path
        HERE = os.path.dirname(os.path.abspath(__file__))
        ROOT = Path(__file__).resolve().parent.parent
        a = open(os.path.join(HERE, 'a.json'))
        b = (ROOT / 'conf' / 'b.toml').read_text()
        c = Path(__file__).parents[1].joinpath('c.ini').read_text()
        d = open('d.cfg')
        e = open(Path.cwd() / 'e.cfg')
        """).config_reads
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


def test_rl301_path_open_through_a_module_level_path() -> None:
    reads = summary("""\
        import json
        from pathlib import Path
        F = Path(__file__).parent / 'p.json'
        with F.open() as f:
            P = json.load(f)
        """).config_reads
    assert [(r.how, r.path) for r in reads] == [("path-open", "p.json")]


def test_config_path_of_a_name_bound_twice_is_not_literal() -> None:
    reads = summary("""\
        import os
        if os.name == 'nt':
            P = 'a.ini'
        else:
            P = 'b.ini'
        C = open(P).read()
        """).config_reads
    assert [r.path for r in reads] == [None]


def test_config_path_of_the_module_itself_is_not_literal() -> None:
    assert [r.path for r in summary("SRC = open(__file__).read()\n").config_reads] == [None]


def test_config_file_path_keeps_absolute_paths() -> None:
    read = ConfigRead(Span(1, 1, 1, 1), "call", "/etc/app.conf", callee="builtins.open")
    assert read.file_path("app/mod.py", "/repo") == "/etc/app.conf"


# ------------------------------------------------------------------ RL302
def test_rl302_subscript_get_getenv() -> None:
    text = "import os\nA = os.environ['A']\nB = os.environ.get('B')\nC = os.getenv('C')\n"
    assert codes(text, **RL3) == ["RL302"] * 3


def test_rl302_from_import_forms() -> None:
    text = "from os import environ, getenv\nA = environ['A']\nB = getenv('B')\n"
    assert codes(text, **RL3) == ["RL302"] * 2


def test_rl302_copies_and_membership() -> None:
    text = "import os\nA = dict(os.environ)\nB = os.environ.copy()\nC = {**os.environ}\n"
    text += "D = 'D' in os.environ\n"
    assert codes(text, **RL3) == ["RL302"] * 4


def test_rl302_store_and_delete_are_writes() -> None:
    text = "import os\nos.environ['X'] = '1'\ndel os.environ['Y']\nos.environ.update(Z='1')\n"
    assert codes(text, **RL3) == []


def test_rl302_setdefault_as_statement_is_a_write() -> None:
    text = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
    assert codes(text, **RL3) == []


def test_rl302_setdefault_whose_result_is_used_is_a_read() -> None:
    assert codes("import os\nX = os.environ.setdefault('X', '1')\n", **RL3) == ["RL302"]


def test_rl302_pop_is_a_write_unless_its_result_is_used() -> None:
    text = "import os\nos.environ.pop('A', None)\nB = os.environ.pop('B', None)\n"
    assert codes(text, **RL3) == ["RL302"]


def test_rl302_live_mapping_as_default_is_not_a_copy() -> None:
    assert codes("import os\ndef parse(environ=os.environ):\n    pass\n", **RL3) == []


def test_rl302_not_in_functions_main_guard_or_type_checking() -> None:
    text = """\
        import os
        from typing import TYPE_CHECKING
        def debug():
            return os.environ.get('DEBUG')
        if __name__ == '__main__':
            print(os.getenv('X'))
        if TYPE_CHECKING:
            Y = os.getenv('Y')
        """
    assert codes(text, **RL3) == []


def test_rl302_default_argument_and_class_body() -> None:
    text = "import os\ndef f(x=os.getenv('A')):\n    pass\nclass C:\n    B = os.getenv('B')\n"
    assert codes(text, **RL3) == ["RL302"] * 2


def test_rl302_message_names_the_variable() -> None:
    (diagnostic,) = run("import os\nKEY = 'APP_KEY'\nSECRET = os.environ[KEY]\n", **RL3)
    assert "`APP_KEY`" in diagnostic.message
    assert diagnostic.symbol == "APP_KEY"


def test_env_reads_record_every_read_with_its_import_time() -> None:
    text = "import os\nA = os.getenv('A')\ndef f():\n    return os.environ['B']\n"
    reads = summary(text).env_reads
    assert [(r.var, r.import_time) for r in reads] == [("A", True), ("B", False)]


# ------------------------------------------------------------------ RL502
def test_rl502_import_module_of_missing_module() -> None:
    text = "import importlib\ndef load():\n    return importlib.import_module('app.handlers.old')\n"
    assert located(pkg(loader=text), **RL502) == [("app/loader.py", 3, "RL502")]


def test_rl502_existing_module_and_object_resolve() -> None:
    loader = """\
        import importlib, pkgutil
        from unittest import mock
        importlib.import_module('app.handlers')
        pkgutil.resolve_name('app.handlers.ping')
        mock.patch('app.handlers.ping')
        ENTRY = 'app.handlers:ping'
        """
    assert codes(pkg(handlers="def ping():\n    pass\n", loader=loader), **RL502) == []


def test_rl502_entry_string_with_missing_attribute() -> None:
    files = pkg(handlers="def ping():\n    pass\n", main="ENTRY = 'app.handlers:pong'\n")
    assert codes(files, **RL502) == ["RL502"]


def test_rl502_entry_string_with_missing_module() -> None:
    assert codes(pkg(main="ENTRY = 'app.gone:main'\n"), **RL502) == ["RL502"]


def test_rl502_entry_point_spec_form() -> None:
    assert codes(pkg(main="EPS = ['tool = app.gone:main']\n"), **RL502) == ["RL502"]


def test_rl502_entry_point_spec_with_single_segment_module() -> None:
    text = "def run():\n    pass\nEPS = ['a = app.main:run', 'b = app:gone']\n"
    assert codes(pkg(main=text), **RL502) == ["RL502"]


def test_rl502_bare_word_colon_name_is_not_an_entry_string() -> None:
    text = "URL = 'app:g'\nTAG = 'app:bar'\nCOMMAND = {'command': 'app:auto.accept'}\n"
    assert codes(pkg(main=text), **RL502) == []


def test_rl502_resolve_name_entry_string_reported_once() -> None:
    text = "import pkgutil\npkgutil.resolve_name('app.main:nope')\n"
    assert codes(pkg(main=text), **RL502) == ["RL502"]


def test_rl502_mock_patch_missing_attribute() -> None:
    test = "from unittest import mock\n@mock.patch('app.db.conect')\ndef t(m):\n    pass\n"
    assert codes(pkg(db="def connect():\n    pass\n", test_db=test), **RL502) == ["RL502"]


def test_rl502_mock_patch_create_true_and_builtins() -> None:
    test = "from unittest import mock\nmock.patch('app.db.new', create=True)\n"
    test += "mock.patch('app.db.open')\n"
    assert codes(pkg(db="", test_db=test), **RL502) == []


def test_rl502_relative_import_module_with_package() -> None:
    files = {
        "app/__init__.py": "",
        "app/plugins/__init__.py": (
            "import importlib\n"
            "A = importlib.import_module('.real', __name__)\n"
            "B = importlib.import_module('.gone', package='app.plugins')\n"
        ),
        "app/plugins/real.py": "",
    }
    assert located(files, **RL502) == [("app/plugins/__init__.py", 3, "RL502")]


def test_rl502_relative_dunder_import_with_level() -> None:
    files = {"app/__init__.py": "", "app/a.py": "__import__('real', globals(), locals(), [], 1)\n"}
    assert codes(files, **RL502) == ["RL502"]


def test_rl502_task_name() -> None:
    text = """\
        from celery import shared_task
        @shared_task(name='app.tasks.add')
        def add():
            pass
        @shared_task(name='app.tasks.old')
        def new():
            pass
        """
    assert located(pkg(tasks=text), **RL502) == [("app/tasks.py", 5, "RL502")]


def test_rl502_third_party_and_stdlib_strings_are_not_checked() -> None:
    text = "import importlib\nimportlib.import_module('django.gone')\nE = 'os.path:nothing'\n"
    assert codes(pkg(main=text), **RL502) == []


def test_rl502_docstrings_and_bare_strings_are_not_paths() -> None:
    text = '"""See app.gone:main."""\ndef f():\n    """app.gone:main"""\n    "app.gone:other"\n'
    assert codes(pkg(main=text), **RL502) == []


def test_rl502_fstring_fragments_are_not_entry_strings() -> None:
    assert codes(pkg(main="X = 1\nS = f'app.gone:main{X}'\n"), **RL502) == []


def test_rl502_dynamic_module_getattr_is_never_reported() -> None:
    files = pkg(lazy="def __getattr__(name):\n    return name\n", main="E = 'app.lazy:anything'\n")
    assert codes(files, **RL502) == []


def test_rl502_reexported_object_resolves() -> None:
    impl = "def run():\n    pass\n"
    files = pkg(impl=impl, api="from app.impl import run\n", main="E = 'app.api:run'\n")
    assert codes(files, **RL502) == []


def test_rl502_package_with_an_import_finder_makes_submodules_dynamic() -> None:
    finder = "class VendorImporter:\n    def find_spec(self, name, path):\n        pass\n"
    files = {
        "app/__init__.py": "__import__('app.extern.packaging.version')\n",
        "app/extern/__init__.py": finder,
    }
    assert codes(files, **RL502) == []
