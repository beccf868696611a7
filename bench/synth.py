"""A synthetic project of N modules, for measuring how reloadlint's costs grow.

    python bench/synth.py DIR 5000            # writes DIR/synth/..., 5,000 modules
    python bench/synth.py DIR 5000 --seed 3 --renamed 0.1

Real projects stop at a few thousand modules; the question "does anything
grow faster than the project?" needs 20,000. Each module is about 110 lines
(Django's average is 180) and holds what the rules look for, so every part
of the analysis has work to do at every size:

- packages of :data:`PER_PACKAGE` modules, each ``__init__`` re-exporting a
  name of its first module;
- imports of other modules: mostly its own package's earlier modules, some
  from a few "hub" modules every package uses (a project's ``utils``), the
  rest anywhere earlier in the project, so the import graph is acyclic, as
  an importable project's is, yet has high fan-in;
- by-value imports of functions and constants (RL101, RL102), callables
  captured in containers, defaults and ``atexit.register`` (RL103, RL402),
  enums and sentinels (RL104), ``isinstance`` against another module's class
  (RL105), stateful classes with and without ``__vsn__`` whose bases are in
  other modules (RL201), import-time reads of files and environment
  variables (RL301, RL302), module state changed by functions (RL401),
  logging handlers (RL402), dotted strings naming modules (RL502), an
  endless loop (RL404) and an entry point (RL503).

Module ``i`` depends only on the seed and ``i`` (and on which modules are
renamed): the first 1,000 modules of the 20,000-module project are the
1,000-module project, so per-module costs compare like with like.

``--renamed F`` gives a fraction ``F`` of the modules a new name (``m00042``
becomes ``m00042r``), and every import and dotted string naming them follows:
the working tree of an upgrade where files were renamed.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterable
from pathlib import Path

#: Modules per package (not counting its ``__init__``).
PER_PACKAGE = 25
#: Modules imported by many: the first few of the project.
HUBS = 40
#: The top-level package.
TOP = "synth"


def module_name(index: int, renamed: frozenset[int] = frozenset()) -> str:
    package = index // PER_PACKAGE
    return f"{TOP}.p{package:04d}.m{index:05d}" + ("r" if index in renamed else "")


def renamed_modules(count: int, fraction: float, seed: int = 0) -> frozenset[int]:
    """Which modules of ``count`` a fraction ``fraction`` of renames picks (never module 0)."""
    if fraction <= 0:
        return frozenset()
    rng = random.Random(f"{seed}:renamed")
    wanted = min(count - 1, round(count * fraction))
    return frozenset(rng.sample(range(1, count), wanted))


def _dependencies(index: int, rng: random.Random) -> list[int]:
    """Earlier modules that module ``index`` imports (none for module 0)."""
    if index == 0:
        return []
    first = index - index % PER_PACKAGE
    picked: list[int] = []
    for _ in range(rng.randint(2, 5)):
        roll = rng.random()
        if roll < 0.5 and first < index:
            picked.append(rng.randrange(first, index))  # own package
        elif roll < 0.8:
            picked.append(rng.randrange(0, min(index, HUBS)))  # a hub
        else:
            picked.append(rng.randrange(0, index))  # anywhere earlier
    return list(dict.fromkeys(picked))


def module_source(index: int, seed: int = 0, renamed: frozenset[int] = frozenset()) -> str:
    """The source of module ``index``."""
    rng = random.Random(f"{seed}:{index}")
    deps = _dependencies(index, rng)
    name = lambda i: module_name(i, renamed)  # noqa: E731
    lines = [
        f'"""Synthetic module {index}: what a service module of a large project holds."""',
        "",
        "import atexit",
        "import enum",
        "import importlib",
        "import json",
        "import logging",
        "import os",
        "import threading",
        "from pathlib import Path",
        "",
    ]
    aliases: list[tuple[str, int]] = []
    for n, dep in enumerate(deps):
        alias = f"dep{n}"
        aliases.append((alias, dep))
        parent, _, leaf = name(dep).rpartition(".")
        if n % 2:
            lines.append(f"import {name(dep)} as {alias}")
        else:
            lines.append(f"from {parent} import {leaf} as {alias}")
    if deps:
        by_value = deps[0]
        lines.append(f"from {name(by_value)} import CONST_{by_value}, func_{by_value}_0")
    lines += [
        "",
        "log = logging.getLogger(__name__)",
        f"CONST_{index} = {index}",
        f"LIMITS_{index} = [1, 2, {index % 7}]",
        "_REGISTRY = {}",
        "_LOCK = threading.Lock()",
        "HERE = Path(__file__).parent",
    ]
    if index % 5 == 0:
        lines.append(f'DEBUG = os.environ.get("SYNTH_DEBUG_{index}", "0") == "1"')
    if index % 7 == 0:
        lines.append(f'SETTINGS = json.loads((HERE / "settings_{index}.json").read_text())')
    if index % 11 == 0:
        lines.append("MISSING = object()")
    if index % 17 == 0:
        lines.append("log.addHandler(logging.NullHandler())")
    if aliases:
        alias, dep = aliases[-1]
        lines.append(f'ROUTES = {{"first": {alias}.func_{dep}_1, "second": {alias}.func_{dep}_2}}')
        if index % 9 == 0:
            lines.append(f"atexit.register({alias}.func_{dep}_3)")
    lines += [
        "",
        "",
        f"class Kind{index}(enum.Enum):",
        "    FIRST = 1",
        "    SECOND = 2",
        "",
    ]
    for k in range(4):
        call = (
            f"{aliases[k % len(aliases)][0]}.func_{aliases[k % len(aliases)][1]}_{k}(item)"
            if aliases
            else "item"
        )
        constant = f"CONST_{deps[0]}" if deps else "1"
        lines += [
            "",
            f"def func_{index}_{k}(value, scale=2):",
            f'    """Step {k} of module {index}: loops, branches and calls elsewhere."""',
            "    total = 0",
            "    for item in range(value):",
            "        if item % scale:",
            f"            total += {call}",
            "        elif item > 10:",
            f"            total -= {constant}",
            "        else:",
            "            try:",
            f"                total += LIMITS_{index}[item % 3]",
            "            except IndexError:",
            "                log.warning('short limits')",
            "    return total",
            "",
        ]
    lines += [
        "",
        "def remember(key, value):",
        "    with _LOCK:",
        "        _REGISTRY[key] = value",
        "",
        "",
        "def recall(key):",
        "    return _REGISTRY.get(key)",
        "",
        "",
        "def load(kind):",
        f'    return importlib.import_module("{name(deps[-1]) if deps else name(index)}")',
        "",
    ]
    base = f"{aliases[0][0]}.Model{aliases[0][1]}" if aliases else "object"
    lines += [
        "",
        f"class Model{index}({base}):",
        "    __vsn__ = 1",
        "",
        "    def __init__(self):",
        "        super().__init__()",
        f"        self.count_{index} = 0",
        "",
        "    def tick(self):",
        f"        self.count_{index} += 1",
        f"        return self.count_{index}",
        "",
        "",
        f"class Worker{index}:",
        "    def __init__(self):",
        "        self.state = {}",
        "        self.stop = threading.Event()",
        "",
        "    def run(self):",
        "        while not self.stop.is_set():",
        f'            self.state["ticks"] = self.state.get("ticks", 0) + func_{index}_0(3)',
        "            self.last = self.state",
        "",
        "    def check(self, obj):",
    ]
    if aliases:
        alias, dep = aliases[-1]
        lines.append(f"        return isinstance(obj, {alias}.Worker{dep})")
    else:
        lines.append("        return obj is not None")
    lines += [
        "",
        "",
        "def create_app():",
        f"    return Worker{index}()",
        "",
    ]
    return "\n".join(lines)


def package_source(package: int, renamed: frozenset[int] = frozenset()) -> str:
    first = package * PER_PACKAGE
    return (
        f'"""Package {package}."""\n\n'
        f"from {module_name(first, renamed)} import CONST_{first}  # re-exported\n"
    )


def generate(
    root: Path, count: int, seed: int = 0, renamed: frozenset[int] = frozenset()
) -> list[Path]:
    """Write the project of ``count`` modules under ``root/synth``; the files written.

    Files of a previous generation under ``root/synth`` that this one does not
    write (renamed modules' old names) are removed."""
    top = root / TOP
    written: list[Path] = []
    top.mkdir(parents=True, exist_ok=True)
    init = top / "__init__.py"
    init.write_text('"""A synthetic project (bench/synth.py)."""\n', encoding="utf-8")
    written.append(init)
    for package in range((count + PER_PACKAGE - 1) // PER_PACKAGE):
        directory = top / f"p{package:04d}"
        directory.mkdir(exist_ok=True)
        path = directory / "__init__.py"
        path.write_text(package_source(package, renamed), encoding="utf-8")
        written.append(path)
    for index in range(count):
        path = root / (module_name(index, renamed).replace(".", "/") + ".py")
        path.write_text(module_source(index, seed, renamed), encoding="utf-8")
        written.append(path)
    keep = set(written)
    for stale in _python_files(top):
        if stale not in keep:
            stale.unlink()
    return written


def _python_files(top: Path) -> Iterable[Path]:
    return list(top.rglob("*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("modules", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--renamed", type=float, default=0.0, help="fraction of modules renamed [default: 0]"
    )
    args = parser.parse_args()
    renamed = renamed_modules(args.modules, args.renamed, args.seed)
    files = generate(args.root, args.modules, args.seed, renamed)
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    print(f"{len(files)} files, {lines} lines, {len(renamed)} renamed, under {args.root / TOP}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
