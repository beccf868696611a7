#!/usr/bin/env python3
"""``--fix`` on released projects keeps their style: ruff's import sorting (I)
and line length (E501), with each project's own ruff configuration, report
nothing new afterwards, and relative imports stay relative.

    python scripts/fix_style.py /work/realcode/sdists/werkzeug-3.1.0.tar.gz [SDIST ...]

Each sdist is unpacked into a temporary directory; the script runs
``ruff check --select I,E501`` (the project's settings otherwise: line
length, isort options, first-party packages) on its package, then
``reloadlint --fix`` on it, then ruff again, and reports per project: the
files fixed, ruff's findings before and after and how many are new (per
file and code: a count that grew), the package's relative import
statements before and after, and the absolute imports of the package added
to files that imported it only relatively. Exits 1 if ruff
reports anything new or a fix turned a relative import absolute. Runs the
reloadlint and ruff of the current Python. Results: docs/hardening.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent


def unpack(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (root,) = [p for p in into.iterdir() if p.is_dir()]
    return root


def package_dir(root: Path) -> Path:
    base = next((root / d for d in ("src", "lib") if (root / d).is_dir()), root)
    candidates = [
        p
        for p in base.iterdir()
        if (p / "__init__.py").is_file() and p.name not in ("test", "tests")
    ]
    return max(candidates, key=lambda p: sum(1 for _ in p.rglob("*.py")))


def ruff(root: Path, package: Path) -> Counter[tuple[str, str]]:
    """ruff's I and E501 findings per (file, code)."""
    completed = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "--no-fix", "--exit-zero", "--select", "I,E501",
         "--output-format", "json", str(package.relative_to(root))],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Counter((d["filename"], d["code"]) for d in json.loads(completed.stdout))


def imports(package: Path) -> dict[str, tuple[int, int]]:
    """Per file: (relative from-imports, absolute imports of the package itself)."""
    found = {}
    top = package.name
    for path in sorted(package.rglob("*.py")):
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        relative = absolute = 0
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    relative += 1
                elif (node.module or "").split(".")[0] == top:
                    absolute += 1
            elif isinstance(node, ast.Import):
                absolute += sum(1 for a in node.names if a.name.split(".")[0] == top)
        found[str(path)] = (relative, absolute)
    return found


def made_absolute(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> int:
    """Absolute imports of the package added to files that imported it only relatively."""
    return sum(
        after[path][1]
        for path, (relative, absolute) in before.items()
        if relative and not absolute and path in after
    )


def check(sdist: Path) -> bool:
    with tempfile.TemporaryDirectory() as work:
        root = unpack(sdist, Path(work))
        package = package_dir(root)
        before, imports_before = ruff(root, package), imports(package)
        fixed = subprocess.run(
            [str(BIN / "reloadlint"), "--no-cache", "--fix", "--exit-zero",
             str(package.relative_to(root))],
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if fixed.returncode != 0:
            print(f"{root.name}: reloadlint exited {fixed.returncode}: {fixed.stderr[-500:]}")
            return False
        after, imports_after = ruff(root, package), imports(package)
        new = after - before
        absolute = made_absolute(imports_before, imports_after)
        files = next((line for line in fixed.stderr.splitlines() if "Fixed" in line), "")
        relative = [
            sum(r for r, _ in counts.values()) for counts in (imports_before, imports_after)
        ]
        print(
            f"{root.name}: {files or 'nothing fixed'} ruff I/E501 {sum(before.values())} -> "
            f"{sum(after.values())}, new {sum(new.values())}; relative imports "
            f"{relative[0]} -> {relative[1]}; relative made absolute {absolute}",
            flush=True,
        )
        for (filename, code), count in sorted(new.items()):
            print(f"  new: {filename} {code} x{count}")
        return not new and not absolute


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sdists", nargs="+", type=Path)
    args = parser.parse_args()
    results = [check(sdist) for sdist in args.sdists]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
