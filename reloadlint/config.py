"""Settings: ``[tool.reloadlint]`` in ``pyproject.toml`` or a ``reloadlint.toml``.

Every key is checked (name and type) so that a typo is an error naming the
key and the file, never a silently ignored setting.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from reloadlint.confine import ProjectRoots
from reloadlint.profiles import DEFAULT_RELOADER, RELOADERS, Reloader
from reloadlint.safeio import describe, read_limited
from reloadlint.summary.facts.class_kinds import DEFAULT_STATEFUL_BASES

#: A configuration file larger than this is refused unread.
MAX_CONFIG_BYTES = 4 * 2**20

#: What ``--plan`` leaves out by default: code that is linted but never runs in the
#: upgraded process (tests, documentation, examples, packaging and task scripts).
PLAN_EXCLUDES: tuple[str, ...] = (
    "tests/",
    "test/",
    "testing/",
    "docs/",
    "doc/",
    "examples/",
    "example/",
    "conftest.py",
    "test_*.py",
    "*_test.py",
    "test.py",  # a plugin's or an app's tests beside its code (limnoria plugins)
    "tests.py",  # (Django apps)
    "setup.py",
    "noxfile.py",
)


class ConfigError(Exception):
    """A configuration problem; the message names the file and key."""


OUTPUT_FORMATS = (
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "pylint",
)


def _about(help: str, example: str, shown_default: str | None = None) -> dict[str, Any]:
    """The documentation of a settings field (its ``metadata``):
    docs/configuration.md is generated from it (scripts/render_docs.py), so
    the reference is the code.

    ``help`` is Markdown; ``example`` the TOML lines under ``[tool.reloadlint]``;
    ``shown_default`` describes a default that its value does not say well.
    """
    return {"help": help, "example": example, "shown_default": shown_default}


@dataclass(frozen=True)
class Settings:
    """The settings of a run; every field with documentation is a key of
    ``[tool.reloadlint]`` (its name with ``-`` for ``_``)."""

    select: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "The rules to run: codes (`RL101`), prefixes (`RL1`, `RL`) or rule names "
            "(`stale-function-import`). Replaces the default selection.",
            'select = ["RL1", "RL2"]',
            "every rule that is on by default (`reloadlint --list-rules`)",
        ),
    )
    extend_select: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "Rules to run in addition to `select`: how to turn on a rule that is off by "
            "default (RL105).",
            'extend-select = ["RL105"]',
        ),
    )
    ignore: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "Rules not to run (codes, prefixes or names); wins over `select` and `extend-select`.",
            'ignore = ["RL302"]',
        ),
    )
    per_file_ignores: dict[str, tuple[str, ...]] = field(
        default_factory=dict,
        metadata=_about(
            "Rules not to report in some files: a table of file globs (relative to the "
            "configuration file's directory) to lists of codes, prefixes or names.",
            'per-file-ignores = { "tests/*" = ["RL1"], "app/legacy/*" = ["RL401"] }',
        ),
    )
    exclude: tuple[str, ...] | None = field(
        default=None,
        metadata=_about(
            "Paths never linted, as gitignore-style patterns. Replaces the default list "
            "(version-control folders, virtual environments, `build/`, `dist/`, caches, "
            "`node_modules/`, `site-packages/`, `*.egg-info/`); `extend-exclude` adds to it "
            "instead. A file named on the command line is linted anyway unless "
            "`--force-exclude` is given (the pre-commit hook gives it).",
            'exclude = [".venv", "build"]',
            "the built-in list (`reloadlint.discovery.DEFAULT_EXCLUDES`)",
        ),
    )
    extend_exclude: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "Paths never linted, in addition to `exclude`.",
            'extend-exclude = ["migrations", "app/generated/"]',
        ),
    )
    src: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "Source roots, relative to the configuration file's directory and inside the "
            "project: the folders "
            "whose subfolders are top-level packages (`src` in a src layout). Without it "
            "they are found from `__init__.py` files.",
            'src = ["src"]',
            "detected from `__init__.py` files",
        ),
    )
    namespace_packages: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "Folders that are packages although they have no `__init__.py` "
            "([PEP 420](https://peps.python.org/pep-0420/) namespace packages), relative "
            "to the configuration file's directory and inside the project.",
            'namespace-packages = ["src/acme"]',
        ),
    )
    reloadable: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "Which first-party modules the application hot-reloads, as globs of dotted "
            "module names (`app.*`). Only reloadable modules are checked by the rules "
            "about reloads, and only bindings to them are stale. Unset, every module of "
            "the application is: tests, documentation and examples (the files "
            "`plan-exclude` names) are not, and are checked only for what matters there "
            "(RL502: a `mock.patch` string must name something); setting it narrows the "
            "application to the modules it names (`plan-exclude` draws the application). "
            "The summary line says which set a run used (`866 of 2,671 "
            "modules reloadable, by default (not tests, docs, examples)` or `7 of 885 "
            "modules reloadable (reloadable = ['plugins.*'])`).",
            'reloadable = ["app.*"]',
            "every first-party module outside `plan-exclude`",
        ),
    )
    not_reloadable: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "First-party modules that are never reloaded (globs of dotted module names): "
            "where live state, enums and sentinels belong. The plan treats a change to one "
            "as a restart.",
            'not-reloadable = ["app.constants", "app.state.*"]',
        ),
    )
    reloader: Reloader = field(
        default=DEFAULT_RELOADER,
        metadata=_about(
            "The reloader the project uses: "
            + ", ".join(f"`{name}`" for name in RELOADERS)
            + ". It decides which rules apply (a from-imported function is stale after "
            "`importlib.reload` but patched in place by IPython's `%autoreload` and by "
            "jurigged) and how messages describe a reload; `reloadlint --list-rules` shows "
            "each rule's reloaders. `--plan` always plans for `runtime`, reloadlint's own "
            "runtime. See [Reloaders](reloaders.md).",
            'reloader = "ipython"',
        ),
    )
    stateful_bases: tuple[str, ...] = field(
        default=DEFAULT_STATEFUL_BASES,
        metadata=_about(
            "Base classes (dotted names) whose subclasses hold live state, whatever their "
            "methods assign: such a class needs `__vsn__` (RL201).",
            'stateful-bases = ["threading.Thread", "asyncio.Protocol", "app.base.Service"]',
        ),
    )
    entrypoints: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "The application's start-up code besides `__main__` modules and main blocks: "
            "`module:function` or dotted names (a module alone: its whole top level). A "
            "change to it needs a restart (RL503).",
            'entrypoints = ["app.factory:create_app", "app.wsgi"]',
        ),
    )
    plan_exclude: tuple[str, ...] | None = field(
        default=None,
        metadata=_about(
            "Paths that are linted but are not the application a reload upgrades, as "
            "gitignore-style patterns relative to the configuration file. `--plan` never "
            "puts their modules in a plan, and neither their findings nor their files "
            "force a restart or show in what a hot upgrade will not do; in tree mode their "
            "modules (matched by their path under their source root: `tests/test_x.py` for "
            "`tests.test_x`) are not reloadable unless `reloadable` names them, only RL502 "
            "checks them, and what they change is not module state (RL401). Replaces the "
            "default list (tests, documentation, examples, `setup.py`, `noxfile.py`); "
            "`extend-plan-exclude` adds to it instead; `plan-exclude = []` plans every "
            "linted file.",
            'plan-exclude = ["tests/", "docs/"]',
            "tests (`tests/`, `test/`, `conftest.py`, `test_*.py`, `*_test.py`, `test.py`, "
            "`tests.py`, and a "
            "library's test-support package `testing/`), docs "
            "(`docs/`, `doc/`), examples (`examples/`, `example/`), `setup.py`, "
            "`noxfile.py` (`reloadlint.config.PLAN_EXCLUDES`)",
        ),
    )
    extend_plan_exclude: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            "More paths to leave out of reload plans, on top of `plan-exclude`.",
            'extend-plan-exclude = ["tools/", "benchmarks/"]',
        ),
    )
    output_format: str = field(
        default="full",
        metadata=_about(
            "How findings are printed: " + ", ".join(f"`{name}`" for name in OUTPUT_FORMATS) + ".",
            'output-format = "concise"',
        ),
    )
    respect_gitignore: bool = field(
        default=True,
        metadata=_about(
            "Whether files that git ignores (`.gitignore`) are skipped when a directory is linted.",
            "respect-gitignore = false",
        ),
    )
    cache_dir: str = field(
        default=".reloadlint_cache",
        metadata=_about(
            "Where the cache of summaries and findings is kept: a relative path below "
            "the configuration file's directory (a path that leaves the project is an "
            "error). A directory elsewhere comes from `--cache-dir` or the "
            "`RELOADLINT_CACHE_DIR` environment variable; `--no-cache` runs without it.",
            'cache-dir = ".cache/reloadlint"',
        ),
    )
    #: Directory the config file was found in (paths in settings are relative to it).
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


#: Every key of ``[tool.reloadlint]``: the documented fields of :class:`Settings`.
KNOWN_KEYS = frozenset(f.name.replace("_", "-") for f in fields(Settings) if f.metadata)
_TABLE_KEYS = {"per-file-ignores"}
_BOOL_KEYS = {"respect-gitignore"}
_STRING_KEYS = {"output-format", "cache-dir", "reloader"}
_LIST_KEYS = KNOWN_KEYS - _TABLE_KEYS - _BOOL_KEYS - _STRING_KEYS


def find_config(start: Path) -> Path | None:
    """The nearest ``reloadlint.toml``, or ``pyproject.toml`` with a ``[tool.reloadlint]``
    table, in ``start`` or a directory above it.

    A ``pyproject.toml`` met on the way that cannot be read or parsed is a
    ConfigError naming it, never skipped: whether it holds the settings cannot
    be known, and running without them would look like a clean, configured
    run (ruff stops on such a file too). So is a configuration name that is
    not a file (a directory, a dangling symbolic link).
    """
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "reloadlint.toml"
        if _present(candidate):
            return candidate
        candidate = directory / "pyproject.toml"
        if _present(candidate) and _has_tool_table(candidate):
            return candidate
    return None


def _present(path: Path) -> bool:
    """Whether a configuration file by this name is there; one that cannot be
    a file (a directory, a dangling link, a socket) is an error, not absent."""
    if not os.path.lexists(path):
        return False
    if not path.is_file():
        what = "a directory" if path.is_dir() else "not a readable file"
        raise ConfigError(f"{path}: cannot be read: {what}")
    return True


def _has_tool_table(path: Path) -> bool:
    """Whether the parsed file has ``tool.reloadlint`` (in any TOML spelling:
    ``[tool.reloadlint]``, dotted keys under ``[tool]``, inline tables)."""
    tool = _read_toml(path).get("tool")
    return isinstance(tool, dict) and "reloadlint" in tool


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; every way it can fail is a one-line ConfigError naming it."""
    try:
        text = read_limited(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: cannot be read: a directory") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {describe(error)}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: cannot be read: not UTF-8 (byte 0x{error.object[error.start]:02x} "
            f"at offset {error.start})"
        ) from None
    try:
        return parse_toml(text)
    except ValueError as error:  # TOMLDecodeError, or an integer of thousands of digits
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def parse_toml(text: str) -> dict[str, Any]:
    """``text`` as TOML (tomllib, or tomli before 3.11); raises ``TOMLDecodeError``,
    a ``ValueError``."""
    data: dict[str, Any] = tomllib.loads(text)  # 3.10: tomli, not type-checked
    return data


def load(path: Path | None) -> Settings:
    """Settings from ``path`` (None: defaults rooted at the working directory)."""
    if path is None:
        return Settings()
    data = _read_toml(path)
    tool = data.get("tool", {})
    if path.name == "pyproject.toml":
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: [tool] must be a table")
        table = tool.get("reloadlint", {})
        prefix = "tool.reloadlint."
    else:
        table = tool.get("reloadlint", data) if isinstance(tool, dict) else data
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{prefix.rstrip('.')}] must be a table")
    return from_table(table, path, prefix)


def from_table(table: dict[str, Any], path: Path, prefix: str = "") -> Settings:
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{path}: `{prefix}{key}`"
        if key not in KNOWN_KEYS:
            listed = ", ".join(sorted(KNOWN_KEYS))
            raise ConfigError(f"{where} is not a reloadlint setting (known: {listed})")
        attr = key.replace("-", "_")
        if key in _LIST_KEYS:
            values[attr] = _string_list(value, where)
        elif key in _STRING_KEYS:
            if not isinstance(value, str):
                raise ConfigError(f"{where} must be a string, not {type(value).__name__}")
            if key == "output-format" and value not in OUTPUT_FORMATS:
                raise ConfigError(f"{where} must be one of {', '.join(OUTPUT_FORMATS)}")
            if key == "reloader" and value not in RELOADERS:
                raise ConfigError(f"{where} must be one of {', '.join(RELOADERS)}")
            values[attr] = value
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be true or false")
            values[attr] = value
        else:
            if not isinstance(value, dict):
                raise ConfigError(f"{where} must be a table of glob = [codes]")
            values[attr] = {str(k): _string_list(v, f"{where}.{k}") for k, v in value.items()}
    known = {f.name for f in fields(Settings)}
    assert set(values) <= known
    settings = Settings(**values, root=path.parent.resolve(), source=path)
    check_paths(settings, f"{path}: `{prefix}", "`")
    if "cache_dir" in values:
        settings = replace(settings, cache_dir=os.path.normpath(settings.cache_dir))
    return settings


def check_paths(settings: Settings, before: str = "`", after: str = "`") -> None:
    """Refuse directories a repository's configuration names outside the project.

    ``src`` and ``namespace-packages`` are walked and climbed from, so each
    must resolve inside the project (:class:`reloadlint.confine.ProjectRoots`);
    ``cache-dir`` must be a relative path to a directory below the
    configuration's own (a cache directory creates a ``.gitignore`` of ``*``:
    ``""`` or ``.`` would hide the whole project from git). A cache directory
    elsewhere is the user's to choose: ``--cache-dir`` or
    ``RELOADLINT_CACHE_DIR``. ``before``/``after`` wrap a key in the message.
    """
    roots = ProjectRoots.of(settings.root)
    directories = {"src": settings.src, "namespace-packages": settings.namespace_packages}
    for key, entries in directories.items():
        for entry in entries:
            if not roots.contains(settings.root / entry):
                raise ConfigError(
                    f"{before}{key}{after}: {entry!r} is outside the project ({roots.project})"
                )
    cache_dir = os.path.normpath(settings.cache_dir)
    escapes = cache_dir == os.curdir or cache_dir == os.pardir
    if os.path.isabs(settings.cache_dir) or escapes or cache_dir.startswith(os.pardir + os.sep):
        where = f"is not a directory below {settings.root}"
    elif not roots.contains(settings.root / cache_dir):
        where = f"is outside the project ({roots.project}) through a symbolic link"
    else:
        return
    raise ConfigError(
        f"{before}cache-dir{after}: {settings.cache_dir!r} {where}; a cache elsewhere is "
        "set with --cache-dir or RELOADLINT_CACHE_DIR"
    )


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ConfigError(f'{where} must be a list of strings, e.g. ["{value}"]')
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)
