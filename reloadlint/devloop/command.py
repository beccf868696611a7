"""The ``reloadlint run`` command (docs/devloop.md).

``reloadlint`` is one click command whose arguments are paths; ``run`` as the
*first* argument selects this command instead (:func:`reloadlint.cli.main`).
A directory or file literally named ``run`` is linted with ``reloadlint ./run``
or ``reloadlint -- run``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from reloadlint.config import ConfigError, Settings, find_config, load
from reloadlint.console import EXIT_ERROR, say

_EPILOG = """\b
Examples:
  reloadlint run -- python -m myapp
  reloadlint run -- uvicorn myapp.server:app --port 8000
  reloadlint run --module myapp.main:serve
"""


@click.command(
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": 100,
        "ignore_unknown_options": True,
        "allow_interspersed_args": False,
    },
    epilog=_EPILOG,
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option(
    "--module",
    "target",
    metavar="PKG.MOD:FUNC",
    help="Import PKG.MOD and call FUNC() in the supervised interpreter (this Python).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (pyproject.toml or reloadlint.toml).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="How long the program gets to stop before the next, harder signal.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes for the first analysis."
)
def run_command(
    command: tuple[str, ...],
    target: str | None,
    config_path: Path | None,
    isolated: bool,
    grace: float,
    jobs: int | None,
) -> None:
    """Run a program, hot-apply each change that is safe, restart it when one is not.

    The program is started with reloadlint's runtime loaded in it; each burst of
    saves under the project is planned as `reloadlint --plan` plans an upgrade,
    from the sources the program loaded to the files on disk. Exit status: the
    program's.
    """
    if sys.platform == "win32":
        _fail("reloadlint run needs a POSIX system (it passes the program a Unix socket)")
    if target is not None:
        if ":" not in target:
            _fail(f"--module needs PKG.MOD:FUNC, not {target!r}")
        argv = [sys.executable, "-m", "reloadlint.devloop.call", target, *command]
    elif command:
        argv = list(command)
    else:
        _fail(
            "run needs a command (reloadlint run -- python -m app) or --module PKG.MOD:FUNC; "
            "to lint a path named run, write reloadlint ./run"
        )
    from reloadlint.devloop.planner import Planner
    from reloadlint.devloop.supervisor import Supervisor
    from reloadlint.devloop.watch import MissingWatcher

    settings = _settings(config_path, isolated)
    root = settings.root.resolve()
    cache = (root / settings.cache_dir).resolve() if settings.cache_dir else root
    try:
        supervisor = Supervisor(
            argv,
            Planner(settings, jobs=jobs),
            roots=[root],
            ignore=[cache] if cache != root else [],
            grace=grace,
        )
        status = supervisor.run()
    except MissingWatcher as error:
        _fail(str(error))
    sys.exit(status)


def _settings(config_path: Path | None, isolated: bool) -> Settings:
    """The project's settings, found from the working directory as the linter finds them."""
    if isolated:
        return Settings()
    path = config_path if config_path is not None else find_config(Path.cwd())
    if config_path is not None and not config_path.is_file():
        _fail(f"configuration file {config_path} not found")
    try:
        return load(path)
    except ConfigError as error:
        _fail(str(error))


def _fail(message: str) -> NoReturn:
    say(f"reloadlint run: error: {message}")
    sys.exit(EXIT_ERROR)


def main(args: list[str]) -> None:
    run_command.main(args=args, prog_name="reloadlint run")
