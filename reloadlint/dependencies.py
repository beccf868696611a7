"""A project's runtime requirement set, as upgrade mode compares it between versions.

A restart is needed when what a deploy *installs* changes: the running
process imported its packages once and a reload does not load a new release of
one. So the plan compares the parsed requirement sets of the two versions,
not file touches: a README-like ``docs/constraints.txt``, development pins
and an identical requirement list moved from ``setup.cfg`` to
``pyproject.toml`` are not dependency changes; neither is a requirement
dropped (the process keeps what it imported; the new code needs nothing new).

Sources (each read in a project root, the repository's or the configuration's):

- ``pyproject.toml``: ``[project].dependencies`` and Poetry's
  ``[tool.poetry.dependencies]`` (not ``requires-python``, extras, build
  requirements or development groups);
- ``setup.cfg``: ``[options] install_requires``;
- ``setup.py``: the ``install_requires=`` argument of ``setup()``, read from
  the syntax tree (a literal list, or a module-level name bound to one;
  anything else is compared as its source text). Never executed;
- ``PKG-INFO`` (an sdist's metadata): ``Requires-Dist`` without an ``extra``
  marker;
- ``requirements*.txt`` except development ones (``-dev``, ``-test``,
  ``-docs``...), and ``Pipfile``'s ``[packages]``;
- lock files (``poetry.lock``, ``uv.lock``, ``Pipfile.lock``, ``pdm.lock``),
  by content: any change to a lock file changes what is installed.

Requirements are normalised with :mod:`packaging` (canonical names, sorted
extras and specifiers, normalised markers), so spelling differences
(``Foo_Bar>=1.0,<2`` and ``foo-bar <2, >=1.0``) compare equal.
"""

from __future__ import annotations

import ast
import configparser
import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.parser import HeaderParser
from typing import Any

#: File names (in a project root) that hold runtime requirements.
SOURCES = ("pyproject.toml", "setup.cfg", "setup.py", "PKG-INFO", "Pipfile")
LOCK_FILES = ("poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock")
#: ``requirements*.txt`` whose name says it is not for the running application.
_DEV_WORDS = re.compile(
    r"(^|[-_.])(dev|develop|test|tests|testing|doc|docs|lint|typing|mypy|ci|build|bench|"
    r"tox|style|format|release|examples?)([-_.]|$)"
)


@dataclass(frozen=True)
class DependencyChange:
    """How the runtime requirement set changed between two versions."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    path: str  # a changed source file, for the reason's location

    def describe(self) -> str:
        parts = []
        if self.added:
            parts.append("new: " + ", ".join(f"`{r}`" for r in self.added))
        if self.removed:
            parts.append("gone: " + ", ".join(f"`{r}`" for r in self.removed))
        return "; ".join(parts)


def is_source(path: str, roots: Iterable[str]) -> bool:
    """Whether a repo-relative path is one of the requirement sources of a root."""
    directory, name = posixpath.split(path)
    if directory not in set(roots):
        return False
    return name in SOURCES or name in LOCK_FILES or _is_requirements_file(name)


def _is_requirements_file(name: str) -> bool:
    if not (name.startswith("requirements") and name.endswith((".txt", ".in"))):
        return False
    return not _DEV_WORDS.search(name.removeprefix("requirements").rsplit(".", 1)[0])


def requirement_set(read: Callable[[str], bytes | None], paths: Iterable[str]) -> frozenset[str]:
    """The normalised runtime requirements that the source files ``paths`` declare.

    ``read`` gives a file's bytes in the version being read (None when absent).
    """
    found: set[str] = set()
    for path in paths:
        data = read(path)
        if data is None:
            continue
        name = posixpath.basename(path)
        if name in LOCK_FILES:
            found.add(f"{name} {hashlib.sha256(data).hexdigest()[:16]}")
            continue
        text = data.decode("utf-8", "replace")
        if name == "pyproject.toml":
            lines = _pyproject(text)
        elif name == "setup.cfg":
            lines = _setup_cfg(text)
        elif name == "setup.py":
            lines = _setup_py(text)
        elif name == "PKG-INFO":
            lines = _pkg_info(text)
        elif name == "Pipfile":
            lines = _pipfile(text)
        else:
            lines = _requirements_txt(text)
        found.update(normalise(line) for line in lines if line.strip())
    return frozenset(found)


def compare(
    old: Callable[[str], bytes | None],
    new: Callable[[str], bytes | None],
    candidates: list[str],
    changed: set[str],
) -> DependencyChange | None:
    """The change of the requirement set, when one of its ``changed`` sources changed it."""
    touched = [path for path in candidates if path in changed]
    if not touched:
        return None
    before, after = requirement_set(old, candidates), requirement_set(new, candidates)
    if not after - before:
        return None  # the same set, or requirements dropped: nothing new to load
    return DependencyChange(
        tuple(sorted(after - before)), tuple(sorted(before - after)), touched[0]
    )


def normalise(line: str) -> str:
    """One requirement in canonical spelling (the text itself when it does not parse)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    text = line.strip()
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return " ".join(text.split())
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    url = f" @ {requirement.url}" if requirement.url else ""
    marker = f"; {requirement.marker}" if requirement.marker else ""
    return f"{canonicalize_name(requirement.name)}{extras}{requirement.specifier}{url}{marker}"


# -- the sources ------------------------------------------------------------------


def _toml(text: str) -> dict[str, Any]:
    from reloadlint.config import parse_toml

    try:
        return parse_toml(text)
    except ValueError:
        return {"unparsable": text}


def _pyproject(text: str) -> list[str]:
    data = _toml(text)
    if "unparsable" in data:
        return [f"pyproject.toml (unparsable) {hashlib.sha256(text.encode()).hexdigest()[:16]}"]
    project = data.get("project")
    lines = [str(d) for d in project.get("dependencies", [])] if isinstance(project, dict) else []
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(deps, dict):
        lines += [_poetry(name, spec) for name, spec in deps.items() if name.lower() != "python"]
    return lines


def _poetry(name: str, spec: object) -> str:
    """A Poetry dependency as one comparable line (its constraint is not PEP 440)."""
    if isinstance(spec, dict):
        spec = ",".join(f"{k}={spec[k]}" for k in sorted(spec))
    return f"{name} (poetry) {spec}"


def _setup_cfg(text: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
        value = parser.get("options", "install_requires", fallback="")
    except configparser.Error:
        return [f"setup.cfg (unparsable) {hashlib.sha256(text.encode()).hexdigest()[:16]}"]
    return [line for line in value.splitlines() if not line.strip().startswith("#")]


def _setup_py(text: str) -> list[str]:
    """``install_requires`` of the ``setup()`` call, read from the syntax tree."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [f"setup.py (unparsable) {hashlib.sha256(text.encode()).hexdigest()[:16]}"]
    assigned: dict[str, ast.expr] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                assigned[target.id] = stmt.value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "install_requires":
                continue
            value = keyword.value
            if isinstance(value, ast.Name) and value.id in assigned:
                value = assigned[value.id]
            if isinstance(value, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
            ):
                return [e.value for e in value.elts]  # type: ignore[attr-defined]
            return [f"setup.py install_requires={ast.unparse(value)}"]
    return []


def _pkg_info(text: str) -> list[str]:
    headers = HeaderParser().parsestr(text)
    found = []
    for value in headers.get_all("Requires-Dist") or []:
        if not re.search(r"\bextra\s*==", value):
            found.append(value)
    return found


def _pipfile(text: str) -> list[str]:
    packages = _toml(text).get("packages")
    if not isinstance(packages, dict):
        return []
    return [_poetry(name, spec).replace("(poetry)", "(pipfile)") for name, spec in packages.items()]


def _requirements_txt(text: str) -> list[str]:
    found = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip().removesuffix("\\").strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r", "-c", "--requirement", "--constraint")):
            found.append(" ".join(line.split()))  # which file it includes is the change
            continue
        if line.startswith("-"):
            continue  # index options, hashes
        found.append(line)
    return found
