"""reloadlint as a flake8 plugin: ``flake8 --select RL``.

A thin adapter. flake8 hands over the file's lines; the engine summarises
them (not flake8's tree: the summary is built from source, and using the lines
means that what flake8 shows is what was linted, stdin included). Cross-module
facts come from the project model, built from disk the first time a file of a
project is checked and cached for the rest of the run (see
:mod:`reloadlint.plugin_support`).

Which rules run is decided by reloadlint's own configuration (``select``,
``extend-select``, ``ignore`` in ``[tool.reloadlint]``, plus
``--reloadlint-extend-select``), so rules that are off by default stay off;
flake8's ``--select``/``--ignore``/``--per-file-ignores`` then filter as for any
plugin. ``# noqa`` comments are left to flake8, which applies them to plugin
codes itself (and honours ``--disable-noqa``).

Positions: flake8 columns are 0-based, reloadlint's are 1-based characters;
``flake8 --format=default`` prints the same row:column as ``reloadlint``.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from reloadlint import __version__, plugin_support
from reloadlint.plugin_support import PluginOptions
from reloadlint.selection import enabled_codes


class ReloadlintChecker:
    """The flake8 ``RL`` extension."""

    name = "reloadlint"
    version = __version__
    options: ClassVar[PluginOptions] = PluginOptions()

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        # ``tree`` is requested only because flake8 runs tree plugins once per
        # file; the engine works from the source lines.
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        """Register ``--reloadlint-...`` options (also readable from flake8 config files)."""
        manager.add_option(
            "--reloadlint-config",
            metavar="FILE",
            parse_from_config=True,
            help="reloadlint configuration file (pyproject.toml or reloadlint.toml); "
            "default: the nearest one, as for the reloadlint command.",
        )
        lists = (
            ("--reloadlint-reloadable", "MODULES", "Modules (globs) that are reloaded at runtime."),
            ("--reloadlint-not-reloadable", "MODULES", "Modules (globs) that are never reloaded."),
            ("--reloadlint-src", "DIRS", "Source roots, relative to the reloadlint config file."),
            (
                "--reloadlint-extend-select",
                "CODES",
                "reloadlint rules to run on top of its configured selection.",
            ),
        )
        for flag, metavar, text in lists:
            manager.add_option(
                flag,
                metavar=metavar,
                default=[],
                comma_separated_list=True,
                parse_from_config=True,
                help=f"{text} Comma-separated.",
            )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Keep the options; a new flake8 run starts with a fresh project cache."""
        cls.options = PluginOptions(
            config=getattr(options, "reloadlint_config", None) or None,
            reloadable=tuple(getattr(options, "reloadlint_reloadable", None) or ()),
            not_reloadable=tuple(getattr(options, "reloadlint_not_reloadable", None) or ()),
            src=tuple(getattr(options, "reloadlint_src", None) or ()),
            extend_select=tuple(getattr(options, "reloadlint_extend_select", None) or ()),
        )
        plugin_support.new_run()

    def run(self) -> Iterator[tuple[int, int, str, type[ReloadlintChecker]]]:
        path = Path(self.filename)
        settings = plugin_support.settings_for(self.options, path)
        codes = enabled_codes(
            settings.select,
            settings.extend_select + self.options.extend_select,
            settings.ignore,
            upgrade=False,
            reloader=settings.reloader,
        )
        data = plugin_support.encode_lines(self.lines)
        for found in plugin_support.lint_file(path, data, settings, codes, apply_noqa=False):
            yield (
                found.location.row,
                found.location.column - 1,
                f"{found.code} {found.message}",
                type(self),
            )
