"""RL301 import-time-config-read."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import on
from reloadlint.rules.base import Rule
from reloadlint.summary.facts.config import FILE_OPENERS
from reloadlint.summary.model import ConfigRead

#: Opening a device (``/dev/tty``) probes the machine; it reads no configuration.
_DEVICES = ("/dev/",)


class ImportTimeConfigRead(Rule):
    """## What it does
    Flags a configuration file read at import time (module top level, class
    bodies, decorator expressions, default argument values, evaluated
    annotations): ``open()``, ``Path.read_text()``/``read_bytes()``/``open()``,
    ``json.load``, ``tomllib.load``, ``yaml.safe_load``/``load``, a
    ``configparser`` ``.read()``, ``dotenv.load_dotenv``/``dotenv_values``.
    Reads inside functions, under ``if __name__ == "__main__":`` and under
    ``if TYPE_CHECKING:`` are not flagged, nor are files opened for writing,
    devices (``/dev/tty``, ``os.devnull``) or in-memory streams
    (``json.load(io.StringIO(text))``).

    ## Why is this bad?
    The value is fixed when the module is first imported. Editing the file
    changes nothing in a running process, and even reloading the module only
    helps the module itself: every ``from app.settings import CONFIG`` made
    before keeps the old value, so the process ends up mixing old and new
    settings.

    ## Known problems
    Reads made through a function that the top level calls
    (``SETTINGS = load()``), or by a library (``logging.config.fileConfig``,
    a framework's settings loader), are not seen.

    ## Example
    ```python
    # app/settings.py
    import json
    from pathlib import Path

    LIMITS = json.loads((Path(__file__).parent / "limits.json").read_text())
    ```

    ## Use instead
    ```python
    # app/settings.py
    import json
    from pathlib import Path

    def limits():
        return json.loads((Path(__file__).parent / "limits.json").read_text())
    ```
    (cache it with a check of the file's modification time if reading on each
    call is too slow).

    ## Fix safety
    There is no automatic fix: moving the read into a function changes every
    use of the value.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    """

    code = "RL301"
    name = "import-time-config-read"
    summary = "Configuration file read at import time"
    profiles = {
        "importlib": on(
            "the value stays as the file was when the module loaded, and importers keep it "
            "even after the module reloads"
        ),
        "runtime": on(
            "only a file whose name is not a literal: when a file named by a literal "
            "changes, the plan reloads the modules that read it and their importers (RL304)"
        ),
        "ipython": on(
            "a changed data file is not a changed module: `%autoreload` reloads nothing, "
            "and the value stays"
        ),
        "jurigged": on(
            "jurigged watches Python files only: nothing runs again, and the value stays"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        reloader = ctx.settings.reloader
        for read in module.config_reads:
            if not read.import_time or (read.path or "").startswith(_DEVICES):
                continue
            shown = _shown_path(read, module.path)
            if reloader == "runtime" and shown:
                continue  # the plan knows the file, and reloads its readers when it changes
            what = f"`{shown}`" if shown else "a file"
            if reloader == "importlib":
                stays = (
                    "the value stays as it was when the module first loaded, and names "
                    "imported from it stay stale even after it reloads"
                )
            elif reloader == "runtime":
                stays = (
                    "the value stays as it was when the module first loaded: the plan cannot "
                    "tell which file it is, so it does not reload this module when the file "
                    "changes"
                )
            else:
                tool = "`%autoreload`" if reloader == "ipython" else "jurigged"
                stays = (
                    "the value stays as it was when the module first loaded: a change to the "
                    f"file is not a change to the module, and {tool} reloads nothing"
                )
            ctx.report(
                read.span,
                f"`{module.name}` reads {what} at import time with {_reader(read)}; {stays} — "
                "read the file when the value is needed",
                symbol=shown or module.name,
            )


def _reader(read: ConfigRead) -> str:
    """What reads the file, as the message shows it: ``open()``, ``json.load()``,
    ``.read_text()``, ``Path.open()``, ``ConfigParser.read()``."""
    if read.how == "call":
        shown = read.callee.rpartition(".")[2] if read.callee in FILE_OPENERS else read.callee
        return f"`{shown}()`"
    if read.how == "method":
        return f"`.{read.method}()`"
    if read.how == "path-open":
        return "`Path.open()`"
    return f"`ConfigParser.{read.method}()`"


def _shown_path(read: ConfigRead, module_path: str) -> str | None:
    """The file as the user finds it: next to the module (joined to its directory) or as written."""
    if read.path is None:
        return None
    if read.relative_to_module:
        return read.file_path(module_path)
    return read.path
