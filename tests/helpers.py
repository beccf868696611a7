"""One-line tests of the engine: ``assert codes("...") == ["RL101"]``.

``files`` is either one module's source (written as ``mod.py``) or a mapping
of relative paths to sources (a little project). Nothing is executed: the
engine only parses.
"""

from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path

from reloadlint.config import Settings
from reloadlint.diagnostics import Diagnostic
from reloadlint.engine import lint
from reloadlint.request import LintRequest
from reloadlint.selection import enabled_codes


def write_tree(root: Path, files: Mapping[str, str | bytes] | str) -> None:
    """Write ``files`` under ``root``: text dedented and as UTF-8, bytes as they are."""
    if isinstance(files, str):
        files = {"mod.py": files}
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


def run(
    files: Mapping[str, str] | str,
    *,
    select: tuple[str, ...] = ("ALL",),
    targets: tuple[str, ...] = (),
    **settings: object,
) -> list[Diagnostic]:
    """Lint a throwaway project; ``targets`` limits what is reported (default: everything)."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory).resolve()
        write_tree(root, files)
        config = Settings(root=root, select=select, **settings)  # type: ignore[arg-type]
        paths = [root / t for t in targets] or [root]
        codes = enabled_codes(config.select, config.extend_select, config.ignore, upgrade=False)
        result = lint(LintRequest(paths=paths, settings=config, codes=codes))
        return [_relative(d, root) for d in result.diagnostics]


def _relative(diagnostic: Diagnostic, root: Path) -> Diagnostic:
    import dataclasses

    path = Path(diagnostic.path)
    if path.is_absolute():
        path = path.relative_to(root)
    return dataclasses.replace(diagnostic, path=path.as_posix())


def codes(files: Mapping[str, str] | str, **kwargs: object) -> list[str]:
    return [d.code for d in run(files, **kwargs)]


def located(files: Mapping[str, str] | str, **kwargs: object) -> list[tuple[str, int, str]]:
    """(path, row, code) per finding."""
    return [(d.path, d.location.row, d.code) for d in run(files, **kwargs)]
