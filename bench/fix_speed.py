"""What ``--fix``, ``--diff`` and the JSON/SARIF output cost next to the lint,
on released projects (issue 19: ``--fix`` within 3x the lint on a project
with a few hundred fixable findings; JSON and SARIF within 1.5x the text
output, cold).

    python bench/fix_speed.py SDIST [SDIST ...]
    python bench/fix_speed.py --repeat 3 --out table.md /work/realcode/sdists/django-5.2.20.tar.gz

Each sdist is unpacked into a temporary directory (a fresh copy before every
``--fix``, which rewrites it), and every command runs cold (``--no-cache``)
in a fresh process from the project's root on its package directory, as a
user runs it. Reported: the median wall time and CPU time (user + system of
the process and its workers: a busy machine inflates it least) and each
command's CPU time as a multiple of the text lint's. Runs the reloadlint of
the current Python (``python -m reloadlint``, the checkout when it is
installed editable), or with ``--checkout DIR`` that of another checkout
(``git worktree add /tmp/before <rev>``: the numbers before a change).
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ENV = {**os.environ, "NO_COLOR": "1", "RELOADLINT_CACHE_DIR": ""}
RELOADLINT = [sys.executable, "-m", "reloadlint", "--no-cache"]

#: label -> extra arguments (the text lint first: the others are compared with it)
COMMANDS = {
    "lint (text)": [],
    "json": ["--output-format", "json"],
    "sarif": ["--output-format", "sarif"],
    "--diff": ["--diff"],
    "--fix": ["--fix"],
}


@dataclass
class Row:
    project: str
    label: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    failed: str = ""

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")


def unpack(sdist: Path, into: Path) -> Path:
    """The project's root (the sdist's single top directory)."""
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (root,) = [p for p in into.iterdir() if p.is_dir()]
    return root


def package_dir(root: Path) -> str:
    """The linted package: ``src/<pkg>`` or ``<pkg>`` (the largest, if several)."""
    base = next((root / d for d in ("src", "lib") if (root / d).is_dir()), root)
    candidates = [
        p
        for p in base.iterdir()
        if (p / "__init__.py").is_file() and p.name not in ("test", "tests", "docs")
    ]
    best = max(candidates, key=lambda p: sum(1 for _ in p.rglob("*.py")))
    return str(best.relative_to(root))


def run_once(command: list[str], cwd: Path) -> tuple[float, float, str]:
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    assert process.stderr is not None
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    failed = f"exit {code}: {error.decode(errors='replace')[-300:]}" if code not in (0, 1) else ""
    return wall, usage.ru_utime + usage.ru_stime, failed


def fixable(root: Path, package: str) -> tuple[int, int]:
    """(findings, fixable findings) of a lint."""
    out = subprocess.run(
        [*RELOADLINT, "--output-format", "json", package],
        cwd=root, capture_output=True, text=True, env=ENV, check=False,
    ).stdout  # fmt: skip
    found = json.loads(out or "[]")
    return len(found), sum(1 for d in found if d.get("fix"))


def bench(sdist: Path, repeat: int) -> tuple[list[Row], tuple[int, int]]:
    rows = []
    with tempfile.TemporaryDirectory() as pristine_dir:
        pristine = unpack(sdist, Path(pristine_dir))
        package = package_dir(pristine)
        counts = fixable(pristine, package)
        print(f"{pristine.name}: {package}, {counts[0]} findings, {counts[1]} fixable", flush=True)
        for label, extra in COMMANDS.items():
            row = Row(pristine.name, label)
            for _ in range(repeat):
                with tempfile.TemporaryDirectory() as work:
                    root = Path(work) / pristine.name
                    shutil.copytree(pristine, root, symlinks=True)
                    wall, cpu, failed = run_once([*RELOADLINT, *extra, package], root)
                if failed:
                    row.failed = failed
                    break
                row.walls.append(wall)
                row.cpus.append(cpu)
            print(
                f"  {label:12} wall {row.wall:7.2f} s  cpu {row.cpu:7.2f} s {row.failed}",
                flush=True,
            )
            rows.append(row)
    return rows, counts


def table(results: list[tuple[list[Row], tuple[int, int]]]) -> str:
    lines = [
        "| project | findings (fixable) | command | wall s | CPU s | CPU / text lint |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for rows, (found, fixes) in results:
        base = rows[0].cpu
        for row in rows:
            ratio = f"{row.cpu / base:.2f}x" if base else "-"
            lines.append(
                f"| {row.project} | {found} ({fixes}) | {row.label} | {row.wall:.2f} | "
                f"{row.cpu:.2f} | {ratio}{' FAILED' if row.failed else ''} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sdists", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    parser.add_argument(
        "--checkout",
        type=Path,
        help="run the reloadlint package of this checkout instead (PYTHONPATH): a 'before'",
    )
    args = parser.parse_args()
    if args.checkout:
        ENV["PYTHONPATH"] = str(args.checkout.resolve())
    print(f"load average before: {os.getloadavg()}", flush=True)
    results = [bench(sdist, args.repeat) for sdist in args.sdists]
    print(f"load average after: {os.getloadavg()}")
    text = table(results)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 1 if any(row.failed for rows, _ in results for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
